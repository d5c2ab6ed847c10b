// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * A small printf.  The formatter writes through a sink: the serial port
 * or a bounded buffer.
 */
#include <stdint.h>

#include "rt/div64.h"
#include "rt/printf.h"
#include "rt/serial.h"
#include "rt/smp.h"
#include "rt/spinlock.h"

struct sink {
	void (*put)(struct sink *s, char c);
	char *buf;
	size_t size;
	size_t len; /* characters produced, stored or not */
};

static void put_serial(struct sink *s, char c)
{
	serial_putc(c);
	s->len++;
}

static void put_buf(struct sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void put_pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		s->put(s, c);
}

/* Digits of @v in @base, least significant first; returns how many. */
static int to_digits(char *out, uint64_t v, unsigned int base, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		uint32_t r;

		if (base == 16) {
			r = v & 15;
			v >>= 4;
		} else {
			v = div64_u32(v, base, &r);
		}
		out[n++] = digits[r];
	} while (v);
	return n;
}

struct spec {
	int width;
	int zero;
	int left;
	int alt; /* '#': 0x before hex */
};

static void put_number(struct sink *s, uint64_t v, unsigned int base,
		       int upper, int negative, const struct spec *sp)
{
	char d[24];
	int n = to_digits(d, v, base, upper);
	int prefix = sp->alt && base == 16;
	int len = n + negative + 2 * prefix;

	if (!sp->left && !sp->zero)
		put_pad(s, ' ', sp->width - len);
	if (negative)
		s->put(s, '-');
	if (prefix) {
		s->put(s, '0');
		s->put(s, upper ? 'X' : 'x');
	}
	if (!sp->left && sp->zero)
		put_pad(s, '0', sp->width - len);
	while (n)
		s->put(s, d[--n]);
	if (sp->left)
		put_pad(s, ' ', sp->width - len);
}

static void put_string(struct sink *s, const char *str, const struct spec *sp)
{
	int n = 0;

	if (!str)
		str = "(null)";
	while (str[n])
		n++;
	if (!sp->left)
		put_pad(s, ' ', sp->width - n);
	while (*str)
		s->put(s, *str++);
	if (sp->left)
		put_pad(s, ' ', sp->width - n);
}

/* Reads the argument of an integer conversion of @lng 'l's. */
static uint64_t arg_unsigned(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, unsigned long long);
	return va_arg(*ap, unsigned int); /* int and long are 32-bit */
}

static int64_t arg_signed(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, long long);
	return va_arg(*ap, int);
}

static void format(struct sink *s, const char *fmt, va_list ap0)
{
	va_list ap;

	va_copy(ap, ap0);
	for (; *fmt; fmt++) {
		struct spec sp = { 0, 0, 0, 0 };
		int lng = 0;
		int64_t sv;

		if (*fmt != '%') {
			s->put(s, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				sp.zero = 1;
			else if (*fmt == '-')
				sp.left = 1;
			else if (*fmt == '#')
				sp.alt = 1;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (*fmt++ - '0');
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt != 'z')
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			sv = arg_signed(&ap, lng);
			put_number(s, sv < 0 ? -(uint64_t)sv : (uint64_t)sv,
				   10, 0, sv < 0, &sp);
			break;
		case 'u':
			put_number(s, arg_unsigned(&ap, lng), 10, 0, 0, &sp);
			break;
		case 'x':
		case 'X':
			put_number(s, arg_unsigned(&ap, lng), 16, *fmt == 'X',
				   0, &sp);
			break;
		case 'p':
			sp.alt = 1;
			sp.width = 10;
			sp.zero = 1;
			put_number(s, (uintptr_t)va_arg(ap, void *), 16, 0, 0,
				   &sp);
			break;
		case 'c':
			s->put(s, (char)va_arg(ap, int));
			break;
		case 's':
			put_string(s, va_arg(ap, const char *), &sp);
			break;
		case '%':
			s->put(s, '%');
			break;
		case '\0':
			fmt--; /* a lone '%' at the end */
			break;
		default: /* unknown: print it as written */
			s->put(s, '%');
			s->put(s, *fmt);
			break;
		}
	}
	va_end(ap);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { put_buf, buf, size, 0 };

	format(&s, fmt, ap);
	if (size)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return (int)s.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * The output lock.  A CPU that already holds it (an exception taken in
 * the middle of a printf) prints anyway rather than deadlock.
 */
static struct spinlock out_lock = SPINLOCK_INIT;
static volatile int out_owner = -1;

int vprintf(const char *fmt, va_list ap)
{
	struct sink s = { put_serial, NULL, 0, 0 };
	int cpu = (int)smp_cpu_index();
	int nested = out_owner == cpu;

	if (!nested) {
		spin_lock(&out_lock);
		out_owner = cpu;
	}
	format(&s, fmt, ap);
	if (!nested) {
		out_owner = -1;
		spin_unlock(&out_lock);
	}
	return (int)s.len;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
