/* SPDX-License-Identifier: PostgreSQL */
/* libFuzzer target for the heroku transport (logfmt/heroku.c): see fuzz_transport.h. */
#include "fuzz_transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_transport(&heroku_ops, data, size);
}
