/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/irqflags.h - customised for simulation: there are no interrupts to
 * mask in userspace, but the kernel's checks of the interrupt state
 * (WARN_ON(irqs_disabled()) where sleeping or freeing is not allowed with
 * interrupts off) need one.  Each thread has its own "interrupts disabled"
 * depth, a thread-local counter (no lock, no atomic operation):
 *
 *  - local_irq_save(flags) stores the depth in @flags (0: interrupts were
 *    enabled) and increments it; local_irq_restore(flags) puts @flags back.
 *    Saves and restores therefore nest exactly as the kernel's flags do, and
 *    irqs_disabled_flags(flags) tells whether they were disabled at the save.
 *  - local_irq_disable() increments the depth; local_irq_enable() sets it to
 *    0, as the kernel's enables interrupts whatever was disabled before it
 *    (so a spin_unlock_irq() inside a spin_lock_irqsave() section enables
 *    them there too, the classic kernel bug, faithfully).
 *  - irqs_disabled() is true while the depth is not 0.
 *
 * The spin_lock_irq*() variants in <linux/spinlock.h> go through these.
 */
#ifndef _IOSIM_LINUX_IRQFLAGS_H
#define _IOSIM_LINUX_IRQFLAGS_H

/* The calling thread's "interrupts disabled" depth (compat/kernel/held_locks.c). */
extern _Thread_local unsigned long iosim_irqs_off;

/**
 * arch_local_irq_save - disable "interrupts" and return the previous state
 *
 * Context: any.
 * Return: the depth before the call (0 if interrupts were enabled).
 */
static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = iosim_irqs_off;

	iosim_irqs_off = flags + 1;
	return flags;
}

/**
 * arch_local_irq_restore - return to the state arch_local_irq_save() saved
 * @flags: what it returned
 *
 * Context: any.
 */
static inline void arch_local_irq_restore(unsigned long flags)
{
	iosim_irqs_off = flags;
}

#define local_irq_save(flags)		do { (flags) = arch_local_irq_save(); } while (0)
#define local_irq_restore(flags)	arch_local_irq_restore(flags)
#define local_irq_disable()		do { iosim_irqs_off++; } while (0)
#define local_irq_enable()		do { iosim_irqs_off = 0; } while (0)
#define local_save_flags(flags)		do { (flags) = iosim_irqs_off; } while (0)

/* Were interrupts disabled when @flags were saved? */
#define irqs_disabled_flags(flags)	((flags) != 0)

/* Are interrupts disabled on this thread now? */
#define irqs_disabled()			(iosim_irqs_off != 0)

#endif /* _IOSIM_LINUX_IRQFLAGS_H */
