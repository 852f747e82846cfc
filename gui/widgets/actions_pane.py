"""Hyper-V Manager's Actions pane: the host's actions, then the selected VM's, as buttons over the shared QActions
(disabled ones keep their tooltip with the reason)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QToolButton, QVBoxLayout, QWidget

WIDTH_MIN, WIDTH_MAX = 190, 360  # the pane's width follows its longest entry within these


class ActionsPane(QScrollArea):
    def __init__(self, host_actions: list[QAction], vm_actions: list[QAction | None], parent=None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(self.tr("Actions"))
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(1)
        self.host_title = self._title(self.tr("Host"))
        layout.addWidget(self.host_title)
        for action in host_actions:
            layout.addWidget(self._button(action))
        layout.addSpacing(10)
        self.vm_title = self._title(self.tr("Virtual machine"))
        layout.addWidget(self.vm_title)
        for action in vm_actions:
            if action is None:
                line = QFrame()
                line.setFrameShape(QFrame.Shape.HLine)
                line.setFrameShadow(QFrame.Shadow.Sunken)
                layout.addWidget(line)
            else:
                layout.addWidget(self._button(action))
        layout.addStretch(1)
        self.setWidget(body)

    def fitting_width(self) -> int:
        """The width that shows every entry whole (its longest, in this language), with room for the vertical scroll
        bar, within WIDTH_MIN..WIDTH_MAX."""
        body = self.widget()
        margins = body.layout().contentsMargins()
        entries = [*body.findChildren(QToolButton), *body.findChildren(QLabel)]
        widest = max((w.sizeHint().width() for w in entries), default=0)
        width = widest + margins.left() + margins.right() + self.verticalScrollBar().sizeHint().width() + 2
        return max(WIDTH_MIN, min(WIDTH_MAX, width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name: never narrower than its entries need
        return QSize(self.fitting_width(), super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.fitting_width(), super().sizeHint().height())

    @staticmethod
    def _title(text: str) -> QLabel:
        label = QLabel(text)
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        label.setBackgroundRole(label.backgroundRole())
        label.setContentsMargins(4, 4, 4, 4)
        label.setFrameShape(QFrame.Shape.StyledPanel)
        label.setAutoFillBackground(True)
        label.setForegroundRole(label.foregroundRole())
        return label

    @staticmethod
    def _button(action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setAccessibleName(action.text().replace("&", "").rstrip("."))
        return button

    def set_titles(self, host: str, vm: str) -> None:
        self.host_title.setText(host or self.tr("Host"))
        self.vm_title.setText(vm or self.tr("Virtual machine"))
        self.vm_title.setAccessibleName(self.tr("Actions for {name}").format(name=vm) if vm
                                        else self.tr("Virtual machine actions"))
