// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * IOMMU fault reporting: a domain's user installs a handler; the IOMMU
 * driver reports translation faults through report_iommu_fault()
 * (drivers/iommu/iommu.c and include/linux/iommu.h of 2015).
 */
#define pr_fmt(fmt)	"iommu: " fmt

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/kernel.h>

/**
 * iommu_set_fault_handler - install a domain's fault handler
 * @domain: the domain
 * @handler: called for each fault reported on @domain (NULL removes it)
 * @token: passed to @handler
 *
 * The handler returns 0 if it handled the fault, or an errno to let the
 * driver fall back to its default behaviour.
 *
 * Context: any; not concurrently with faults on @domain.
 * Return: nothing.  A NULL @domain (the kernel BUGged) is WARNed and ignored.
 */
void iommu_set_fault_handler(struct iommu_domain *domain, iommu_fault_handler_t handler,
			     void *token)
{
	if (WARN(!domain, "iommu_set_fault_handler: NULL domain"))
		return;
	domain->handler = handler;
	domain->handler_token = token;
}
EXPORT_SYMBOL_GPL(iommu_set_fault_handler);

/*
 * report_iommu_fault() is documented in <linux/iommu.h>, where the kernel
 * had it as an inline function.
 */
int report_iommu_fault(struct iommu_domain *domain, struct device *dev, unsigned long iova,
		       int flags)
{
	int ret = -ENOSYS;

	if (WARN(!domain, "report_iommu_fault: NULL domain"))
		return -EINVAL;

	/*
	 * If upper layers showed interest and installed a fault handler,
	 * invoke it.
	 */
	if (domain->handler)
		ret = domain->handler(domain, dev, iova, flags, domain->handler_token);

	pr_debug("fault: %s iova 0x%lx flags 0x%x handled %d\n",
		 dev ? dev_name(dev) : "(no device)", iova, flags, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(report_iommu_fault);
