// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * TSC frequency discovery and deadlines.
 */
#include "rt/div64.h"
#include "rt/string.h"
#include "rt/tsc.h"

#define TSC_KHZ_DEFAULT 3000000u

#define CPUID_HV_BASE 0x40000000u
#define CPUID_HV_TSC_KHZ 0x40000010u /* VMware's leaf, also QEMU's */
#define CPUID_KVM_FEATURES 0x40000001u
#define KVM_FEATURE_CLOCKSOURCE2 (1u << 3)
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01u

static uint32_t khz = TSC_KHZ_DEFAULT;
static const char *source = "assumed";

/* The kvmclock record the hypervisor fills (pvclock_vcpu_time_info). */
struct pvclock {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
} __attribute__((aligned(32)));

static struct pvclock pvclock;

static int hv_is(const struct cpuid_regs *r, const char *sig)
{
	char s[12];

	memcpy(s, &r->ebx, 4);
	memcpy(s + 4, &r->ecx, 4);
	memcpy(s + 8, &r->edx, 4);
	return !memcmp(s, sig, 12);
}

/* ns = ((tsc << shift) * mul) >> 32, so kHz = 1e6 * 2^32 / mul / 2^shift. */
static uint32_t kvmclock_khz(void)
{
	uint64_t k;

	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (uintptr_t)&pvclock | 1);
	__asm__ volatile("" : : : "memory");
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0);
	if (!pvclock.tsc_to_system_mul)
		return 0;
	k = div64_u32(1000000ull << 32, pvclock.tsc_to_system_mul, NULL);
	if (pvclock.tsc_shift > 0)
		k >>= pvclock.tsc_shift;
	else
		k <<= -pvclock.tsc_shift;
	return k >> 32 ? 0 : (uint32_t)k;
}

static uint32_t hypervisor_khz(void)
{
	struct cpuid_regs r;
	uint32_t max;

	if (!(cpuid(1, 0).ecx & (1u << 31)))
		return 0;
	r = cpuid(CPUID_HV_BASE, 0);
	max = r.eax;
	if (max >= CPUID_HV_TSC_KHZ && max < CPUID_HV_BASE + 0x100 &&
	    cpuid(CPUID_HV_TSC_KHZ, 0).eax) {
		source = "cpuid 0x40000010";
		return cpuid(CPUID_HV_TSC_KHZ, 0).eax;
	}
	if (hv_is(&r, "KVMKVMKVM\0\0\0") && max >= CPUID_KVM_FEATURES &&
	    (cpuid(CPUID_KVM_FEATURES, 0).eax & KVM_FEATURE_CLOCKSOURCE2)) {
		source = "kvmclock";
		return kvmclock_khz();
	}
	return 0;
}

static uint32_t native_khz(void)
{
	uint32_t max = cpuid(0, 0).eax;
	struct cpuid_regs r;

	if (max >= 0x15) {
		r = cpuid(0x15, 0);
		if (r.eax && r.ebx && r.ecx) {
			source = "cpuid 0x15";
			return (uint32_t)div64_u32((uint64_t)r.ecx * r.ebx,
						   r.eax * 1000u, NULL);
		}
	}
	if (max >= 0x16) {
		r = cpuid(0x16, 0);
		if (r.eax & 0xffff) {
			source = "cpuid 0x16";
			return (r.eax & 0xffff) * 1000u;
		}
	}
	return 0;
}

void tsc_init(void)
{
	uint32_t k = hypervisor_khz();

	if (!k)
		k = native_khz();
	if (k < 1000) { /* nothing, or nonsense below 1 MHz */
		k = TSC_KHZ_DEFAULT;
		source = "assumed";
	}
	khz = k;
}

uint32_t tsc_khz(void)
{
	return khz;
}

const char *tsc_source(void)
{
	return source;
}

uint64_t tsc_deadline_ms(uint32_t ms)
{
	return rdtsc() + (uint64_t)ms * khz;
}

uint64_t tsc_deadline_us(uint32_t us)
{
	return rdtsc() + div64_u32((uint64_t)us * khz, 1000, NULL);
}

uint64_t tsc_to_us(uint64_t ticks)
{
	return div64_u64(ticks * 1000, khz, NULL);
}

void udelay(uint32_t us)
{
	uint64_t deadline = tsc_deadline_us(us);

	while (!tsc_expired(deadline))
		cpu_relax();
}
