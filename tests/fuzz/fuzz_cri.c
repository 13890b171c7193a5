/* SPDX-License-Identifier: PostgreSQL */
/* libFuzzer target for the cri transport (logfmt/cri.c): see fuzz_transport.h. */
#include "fuzz_transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_transport(&cri_ops, data, size);
}
