/* The two disk paths: storvsc (synthetic, VMBus) and the emulated IDE controller (ATA PIO). */
#ifndef DISK_H
#define DISK_H

#include "bk.h"

#define SECTOR_SIZE 512u
#define DISK_READ 1 /* storvsc op codes, used for both paths */
#define DISK_WRITE 2
#define DISK_FLUSH 3

/* Results: >= 0 a device status (0 ok, 1 bad request, 2 out of range, 3 I/O error), < 0 the guest's own. */
#define STOR_OK 0
#define STOR_STATUS_BAD 1
#define STOR_STATUS_RANGE 2
#define STOR_STATUS_IO 3
#define STOR_TIMEOUT (-1)
#define STOR_DOWN (-2) /* no open channel (or no drive) */
#define STOR_BUSY (-3) /* every slot in flight, or no ring room: wait and retry */

#define STOR_SLOTS 8 /* requests in flight at most */
#define STOR_TIMEOUT_NS (2 * NS_PER_S)

/* storvsc.c */
#define STOR_ABSENT 0
#define STOR_OPEN 1
#define STOR_BROKEN 2 /* offered and opened once, then failed */
extern u32 storvsc_max_sectors;
int storvsc_state(void);
u64 storvsc_sectors(void);
int storvsc_submit(u32 op, u64 sector, u32 count, void *buffer, u32 tag, u64 now); /* slot, or < 0 */
void storvsc_kick(void);                         /* one doorbell for everything submitted, if the host needs it */
int storvsc_reap(u32 *tag, int *status);         /* 1 when a finished request was taken */
u64 storvsc_oldest(void);                        /* submission time of the oldest unfinished request */
u32 storvsc_in_flight(void);
void storvsc_abandon(void);                      /* after a timeout: forget everything in flight */
int storvsc_io(u32 op, u64 sector, u32 count, void *buffer); /* one request, waited for (2 s at most) */

/* ide.c */
#define IDE_MAX_SECTORS 256u /* per command */
extern u8 ide_present;
extern u64 ide_sectors;
int ide_io(u32 op, u64 sector, u32 count, void *buffer); /* any count: split in commands of <= 256 sectors */

#endif
