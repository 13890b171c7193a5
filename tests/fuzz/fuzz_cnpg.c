/* SPDX-License-Identifier: PostgreSQL */
/* libFuzzer target for the cnpg transport (logfmt/cnpg.c): see fuzz_transport.h. */
#include "fuzz_transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_transport(&cnpg_ops, data, size);
}
