/* SPDX-License-Identifier: PostgreSQL */
/* libFuzzer target for the azure transport (logfmt/azure.c): see fuzz_transport.h. */
#include "fuzz_transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_transport(&azure_ops, data, size);
}
