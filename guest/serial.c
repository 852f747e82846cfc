/* COM1, driven by polling the way a real 8250/16550 driver does without interrupts. Every register access is a
 * VM exit, so transmit fills the 16-byte FIFO per "transmitter empty" seen instead of polling before each byte. */
#include "bk.h"

#define UART_DATA 0 /* THR / RBR; DLL with DLAB */
#define UART_IER 1  /* DLM with DLAB */
#define UART_FCR 2  /* IIR on read */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5

#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define FCR_ENABLE_CLEAR_14 0xC7 /* enable and clear both FIFOs, 14-byte receive trigger */
#define IIR_FIFO_ENABLED 0xC0
#define MCR_DTR_RTS 0x03 /* no OUT2: the kernel polls, it takes no interrupts */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static unsigned tx_fifo_size = 1;
static unsigned tx_room; /* bytes that may still go out before polling LSR again */

void serial_init(void)
{
    outb(PORT_COM1 + UART_IER, 0x00);
    outb(PORT_COM1 + UART_LCR, LCR_DLAB);
    outb(PORT_COM1 + UART_DATA, 0x01); /* divisor 1: 115200 baud */
    outb(PORT_COM1 + UART_IER, 0x00);
    outb(PORT_COM1 + UART_LCR, LCR_8N1);
    outb(PORT_COM1 + UART_FCR, FCR_ENABLE_CLEAR_14);
    outb(PORT_COM1 + UART_MCR, MCR_DTR_RTS);
    /* A 16550A reports working FIFOs in IIR bits 6-7; a plain 8250 takes one byte per THR-empty. */
    tx_fifo_size = (inb(PORT_COM1 + UART_FCR) & IIR_FIFO_ENABLED) == IIR_FIFO_ENABLED ? 16 : 1;
    tx_room = 0;
}

void serial_putc(char c)
{
    if (!tx_room) {
        while (!(inb(PORT_COM1 + UART_LSR) & LSR_THR_EMPTY))
            ;
        tx_room = tx_fifo_size;
    }
    outb(PORT_COM1 + UART_DATA, (u8)c);
    tx_room--;
}

void serial_write(const char *s)
{
    while (*s)
        serial_putc(*s++);
}

int serial_poll(void)
{
    int n = 0;
    while (inb(PORT_COM1 + UART_LSR) & LSR_DATA_READY) {
        shell_input(inb(PORT_COM1 + UART_DATA));
        n++;
    }
    return n;
}
