/* SPDX-License-Identifier: PostgreSQL */
