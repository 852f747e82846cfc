/* The emulated IDE disk: ATA PIO on the primary channel, master drive, LBA28, polled (nIEN set, no interrupts).
 * Every register access and every data word is a VM exit, deliberately: one `inw`/`outw` per word, no string I/O.
 * This is the slow path the synthetic disk is compared with. */
#include "disk.h"

#define ATA_DATA 0x1F0
#define ATA_ERROR 0x1F1
#define ATA_COUNT 0x1F2
#define ATA_LBA0 0x1F3
#define ATA_LBA1 0x1F4
#define ATA_LBA2 0x1F5
#define ATA_DRIVE 0x1F6
#define ATA_STATUS 0x1F7 /* command on write */
#define ATA_CONTROL 0x3F6 /* alternate status on read */

#define ST_BSY 0x80
#define ST_DRDY 0x40
#define ST_DF 0x20
#define ST_DRQ 0x08
#define ST_ERR 0x01
#define CTL_NIEN 0x02

#define CMD_READ 0x20
#define CMD_WRITE 0x30
#define CMD_FLUSH 0xE7
#define CMD_IDENTIFY 0xEC

#define DRIVE_LBA_MASTER 0xE0
#define LBA28_LIMIT (1ull << 28)
#define POLLS_PER_CLOCK_READ 64 /* a status read is an exit anyway; the clock only when the drive stays busy */

u8 ide_present;
u64 ide_sectors;

/* Polls status until BSY clears (and DRQ is set when `drq`); STOR_OK, a device status, or STOR_TIMEOUT. */
static int wait_ready(int drq)
{
    u64 deadline = 0;
    for (u32 polls = 1;; polls++) {
        u8 s = inb(ATA_STATUS);
        if (s == 0xFF)
            return STOR_DOWN; /* floating bus: no controller */
        if (!(s & ST_BSY)) {
            if (s & (ST_ERR | ST_DF))
                return (inb(ATA_ERROR) & 0x10) ? STOR_STATUS_RANGE : STOR_STATUS_IO; /* IDNF: no such sector */
            if (!drq || (s & ST_DRQ))
                return STOR_OK;
        }
        if (polls % POLLS_PER_CLOCK_READ == 0) {
            u64 now = bk_now();
            if (!deadline)
                deadline = now + STOR_TIMEOUT_NS;
            else if (now >= deadline)
                return STOR_TIMEOUT;
        }
    }
}

static void select_lba(u64 lba, u32 count)
{
    outb(ATA_DRIVE, (u8)(DRIVE_LBA_MASTER | ((lba >> 24) & 0x0F)));
    outb(ATA_COUNT, (u8)(count == 256 ? 0 : count));
    outb(ATA_LBA0, (u8)lba);
    outb(ATA_LBA1, (u8)(lba >> 8));
    outb(ATA_LBA2, (u8)(lba >> 16));
}

static int transfer(u32 op, u64 lba, u32 count, u8 *buf)
{
    int r = wait_ready(0);
    if (r != STOR_OK)
        return r;
    select_lba(lba, count);
    outb(ATA_STATUS, op == DISK_WRITE ? CMD_WRITE : CMD_READ);
    for (u32 s = 0; s < count; s++, buf += SECTOR_SIZE) {
        if ((r = wait_ready(1)) != STOR_OK)
            return r;
        if (op == DISK_WRITE) {
            for (u32 i = 0; i < SECTOR_SIZE; i += 2)
                outw(ATA_DATA, (u16)(buf[i] | buf[i + 1] << 8));
        } else {
            for (u32 i = 0; i < SECTOR_SIZE; i += 2) {
                u16 w = inw(ATA_DATA);
                buf[i] = (u8)w;
                buf[i + 1] = (u8)(w >> 8);
            }
        }
    }
    return wait_ready(0); /* the drive's verdict on the whole command */
}

int ide_io(u32 op, u64 sector, u32 count, void *buffer)
{
    if (!ide_present)
        return STOR_DOWN;
    if (op == DISK_FLUSH) {
        int r = wait_ready(0);
        if (r != STOR_OK)
            return r;
        outb(ATA_STATUS, CMD_FLUSH);
        return wait_ready(0);
    }
    if (!count || sector + count > ide_sectors || sector + count > LBA28_LIMIT)
        return STOR_STATUS_RANGE;
    u8 *buf = buffer;
    while (count) {
        u32 n = count < IDE_MAX_SECTORS ? count : IDE_MAX_SECTORS;
        int r = transfer(op, sector, n, buf);
        if (r != STOR_OK)
            return r;
        sector += n;
        count -= n;
        buf += n * SECTOR_SIZE;
    }
    return STOR_OK;
}

void ide_init(void)
{
    if (!(bk_device_flags & DEVICE_IDE))
        return;
    u8 id[SECTOR_SIZE];
    outb(ATA_CONTROL, CTL_NIEN); /* polled: no interrupts */
    select_lba(0, 0);
    outb(ATA_STATUS, CMD_IDENTIFY);
    if (inb(ATA_STATUS) == 0 || wait_ready(1) != STOR_OK) {
        serial_write("ide: no drive answers IDENTIFY\n");
        return;
    }
    for (u32 i = 0; i < SECTOR_SIZE; i += 2) {
        u16 w = inw(ATA_DATA);
        id[i] = (u8)w;
        id[i + 1] = (u8)(w >> 8);
    }
    /* Words 60-61: the sectors LBA28 commands can address. */
    ide_sectors = (u64)id[120] | (u64)id[121] << 8 | (u64)id[122] << 16 | (u64)id[123] << 24;
    ide_present = ide_sectors != 0;
    if (!ide_present)
        serial_write("ide: the drive reports no LBA28 sectors\n");
}
