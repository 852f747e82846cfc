/* The little of a C library the kernel needs: memory and string functions (the compiler may call the first four
 * on its own), decimal parsing and a printf with %s %c %d %u %x, width, '0' flag and l/ll/z sizes. */
#include "bk.h"

void *memset(void *dst, int c, size_t n)
{
    u8 *d = dst;
    while (n--)
        *d++ = (u8)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    u8 *d = dst;
    const u8 *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    u8 *d = dst;
    const u8 *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const u8 *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (u8)*a - (u8)*b;
        if (!*a)
            break;
    }
    return 0;
}

int parse_u64(const char *s, size_t len, u64 *out)
{
    u64 v = 0;
    if (len == 0)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        u64 digit = (u64)(s[i] - '0');
        if (v > (~0ull - digit) / 10)
            return -1;
        v = v * 10 + digit;
    }
    *out = v;
    return 0;
}

struct sink {
    char *buf; /* NULL: the serial console */
    size_t size, len;
};

static void put(struct sink *k, char c)
{
    if (!k->buf) {
        serial_putc(c);
    } else if (k->len + 1 < k->size) {
        k->buf[k->len] = c;
    }
    k->len++;
}

static void put_num(struct sink *k, u64 v, unsigned base, int width, char pad, int negative)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (negative)
        tmp[n++] = '-';
    for (; width > n; width--)
        put(k, pad);
    while (n)
        put(k, tmp[--n]);
}

static void vformat(struct sink *k, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(k, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, size = 0;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z') {
            size = 1;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            int64_t v = size ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(k, v < 0 ? (u64)0 - (u64)v : (u64)v, 10, width, pad, v < 0);
            break;
        }
        case 'u':
        case 'x': {
            u64 v = size ? va_arg(ap, u64) : va_arg(ap, unsigned);
            put_num(k, v, *fmt == 'x' ? 16 : 10, width, pad, 0);
            break;
        }
        case 'c':
            put(k, (char)va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int n = (int)strlen(s);
            for (; width > n; width--)
                put(k, ' ');
            while (*s)
                put(k, *s++);
            break;
        }
        case '%':
            put(k, '%');
            break;
        case '\0':
            return;
        default:
            put(k, '%');
            put(k, *fmt);
            break;
        }
    }
}

void kprintf(const char *fmt, ...)
{
    struct sink k = {0, 0, 0};
    va_list ap;
    va_start(ap, fmt);
    vformat(&k, fmt, ap);
    va_end(ap);
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    struct sink k = {buf, size, 0};
    va_list ap;
    va_start(ap, fmt);
    vformat(&k, fmt, ap);
    va_end(ap);
    if (size)
        buf[k.len < size ? k.len : size - 1] = '\0';
    return (int)k.len;
}

char *next_word(char **s)
{
    char *p = *s;
    while (*p == ' ')
        p++;
    char *word = p;
    while (*p && *p != ' ')
        p++;
    if (*p)
        *p++ = '\0';
    *s = p;
    return word;
}
