/* SPDX-License-Identifier: PostgreSQL */
/* libFuzzer target for the kubectl transport (logfmt/kubectl.c): see fuzz_transport.h. */
#include "fuzz_transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_transport(&kubectl_ops, data, size);
}
