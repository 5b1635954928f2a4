// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Fault reporting: iommu_set_fault_handler() and report_iommu_fault().
 */
#include "mock_iommu.h"

#include <linux/iommu.h>
#include <linux/kernel.h>

#include <iosim/device.h>

struct fault_seen {
	unsigned int nr;
	struct iommu_domain *domain;
	struct device *dev;
	unsigned long iova;
	int flags;
	void *token;
	int ret;		/* what the handler answers */
};

static int record_fault(struct iommu_domain *domain, struct device *dev, unsigned long iova,
			int flags, void *token)
{
	struct fault_seen *seen = token;

	seen->nr++;
	seen->domain = domain;
	seen->dev = dev;
	seen->iova = iova;
	seen->flags = flags;
	seen->token = token;
	return seen->ret;
}

static void test_report_without_handler_is_enosys(void **state)
{
	struct iommu_domain *domain = mock_domain_new(IOMMU_DOMAIN_UNMANAGED);

	assert_non_null(domain);
	assert_int_equal(report_iommu_fault(domain, NULL, 0x1000, IOMMU_FAULT_READ), -ENOSYS);
	iommu_domain_free(domain);
}

static void test_handler_receives_every_argument_and_decides(void **state)
{
	struct iommu_domain *domain = mock_domain_new(IOMMU_DOMAIN_UNMANAGED);
	struct device *dev = mock_device("master", NULL, true);
	struct fault_seen seen = { .ret = 0 };

	assert_non_null(domain);
	assert_non_null(dev);
	iommu_set_fault_handler(domain, record_fault, &seen);
	assert_ptr_equal(domain->handler_token, &seen);

	assert_int_equal(report_iommu_fault(domain, dev, 0xdead000, IOMMU_FAULT_WRITE), 0);
	assert_int_equal(seen.nr, 1);
	assert_ptr_equal(seen.domain, domain);
	assert_ptr_equal(seen.dev, dev);
	assert_int_equal(seen.iova, 0xdead000);
	assert_int_equal(seen.flags, IOMMU_FAULT_WRITE);
	assert_ptr_equal(seen.token, &seen);

	/* A handler that declines: its errno comes back to the driver. */
	seen.ret = -EAGAIN;
	assert_int_equal(report_iommu_fault(domain, dev, 0x1000, IOMMU_FAULT_READ), -EAGAIN);
	assert_int_equal(seen.nr, 2);

	/* Removing the handler: back to -ENOSYS. */
	iommu_set_fault_handler(domain, NULL, NULL);
	assert_int_equal(report_iommu_fault(domain, dev, 0x1000, IOMMU_FAULT_READ), -ENOSYS);
	assert_int_equal(seen.nr, 2);

	iommu_domain_free(domain);
	iosim_device_destroy(dev);
}

static void test_handlers_are_per_domain(void **state)
{
	struct iommu_domain *a = mock_domain_new(IOMMU_DOMAIN_UNMANAGED);
	struct iommu_domain *b = mock_domain_new(IOMMU_DOMAIN_DMA);
	struct fault_seen seen_a = { 0 }, seen_b = { .ret = -EIO };

	iommu_set_fault_handler(a, record_fault, &seen_a);
	iommu_set_fault_handler(b, record_fault, &seen_b);
	assert_int_equal(report_iommu_fault(b, NULL, 0x2000, IOMMU_FAULT_READ), -EIO);
	assert_int_equal(seen_a.nr, 0);
	assert_int_equal(seen_b.nr, 1);
	assert_null(seen_b.dev);
	iommu_domain_free(a);
	iommu_domain_free(b);
}

static void test_fault_functions_warn_on_null_domain(void **state)
{
	struct fault_seen seen = { 0 };

	iommu_set_fault_handler(NULL, record_fault, &seen);
	assert_warned("NULL domain");
	assert_int_equal(report_iommu_fault(NULL, NULL, 0, IOMMU_FAULT_READ), -EINVAL);
	assert_warned("NULL domain");
	assert_int_equal(seen.nr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		MOCK_TEST(test_report_without_handler_is_enosys),
		MOCK_TEST(test_handler_receives_every_argument_and_decides),
		MOCK_TEST(test_handlers_are_per_domain),
		MOCK_TEST(test_fault_functions_warn_on_null_domain),
	};

	return cmocka_run_group_tests_name("iommu_fault", tests, NULL, NULL);
}
