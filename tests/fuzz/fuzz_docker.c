/* SPDX-License-Identifier: PostgreSQL */
/* libFuzzer target for the docker transport (logfmt/docker.c): see fuzz_transport.h. */
#include "fuzz_transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_transport(&docker_ops, data, size);
}
