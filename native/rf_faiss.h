/**
 * rf_faiss.h - a small C boundary over the Faiss C++ API for RecFramework.
 *
 * Conventions (modelled on Faiss's own C API):
 *  - opaque handles, functions named rf_<object>_<verb>, outputs through pointers;
 *  - every fallible call returns an int: 0 on success, a negative rf_error code otherwise;
 *    the message of the last failure on the calling thread is returned by rf_last_error();
 *  - no C++ exception crosses the boundary and nothing is printed;
 *  - every handle is released with its _free function.
 */
#ifndef RF_FAISS_H
#define RF_FAISS_H

#include <stddef.h>
#include <stdint.h>

#if defined(RF_FAISS_BUILD) && defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Error codes (mirrored by the managed FaissErrorCode enum). */
typedef enum rf_error {
    RF_OK = 0,
    RF_ERR_INVALID_ARGUMENT = -1, /**< a bad argument (null pointer, bad size, bad description) */
    RF_ERR_FAISS = -2,            /**< faiss::FaissException */
    RF_ERR_IO = -3,               /**< reading or writing an index file failed */
    RF_ERR_OUT_OF_MEMORY = -4,    /**< std::bad_alloc */
    RF_ERR_NOT_TRAINED = -5,      /**< add/search on an untrained index */
    RF_ERR_UNKNOWN = -99          /**< any other C++ exception */
} rf_error;

/** Opaque index handle. */
typedef struct rf_index rf_index;

/** Message of the last failed call on this thread ("" when none). Valid until the next call on this thread. */
const char* rf_last_error(void);

/** Shim ABI version (bumped on breaking changes). */
int rf_version(void);

/** Sets the OpenMP thread count used by every later Faiss call (on any thread); n >= 1. */
int rf_set_num_threads(int n);

/** The OpenMP thread count set by rf_set_num_threads (0 when never set). */
int rf_get_num_threads(void);

/** Sets OpenBLAS's thread count (used by batched exact search and k-means); n >= 1. */
int rf_set_blas_threads(int n);

/**
 * Inner-product scans of IVF-Flat lists and of single-query Flat searches use the shim's AVX2 + FMA
 * kernel instead of Faiss's scalar reference loop (Debian builds Faiss for baseline x86-64).
 * rf_simd_scan_available: 1 when this CPU has AVX2 and FMA. rf_set_simd_scan: 1 uses the kernel when
 * available (the default), 0 always takes Faiss's own path; process-wide, any time.
 * rf_get_simd_scan: 1 when the kernel is in use.
 */
int rf_simd_scan_available(void);
int rf_set_simd_scan(int enabled);
int rf_get_simd_scan(void);

/**
 * Creates an empty inner-product index from a Faiss index_factory description ("Flat", "HNSW32",
 * "IVF1024,Flat", "IVF256,PQ16", ...).
 * @param description  NUL-terminated factory string
 * @param d            vector dimension, > 0
 * @param seed         seed of every random choice in training/building (k-means, PQ, HNSW levels)
 * @param out          receives the handle
 */
int rf_index_create(const char* description, int d, int seed, rf_index** out);

/** Releases an index (null is ignored). */
void rf_index_free(rf_index* index);

/** @param out receives the vector dimension. */
int rf_index_dimension(const rf_index* index, int* out);

/** @param out receives the number of vectors added. */
int rf_index_ntotal(const rf_index* index, int64_t* out);

/** @param out receives 1 when the index is trained (or needs no training), else 0. */
int rf_index_is_trained(const rf_index* index, int* out);

/**
 * Writes the description (factory string, or one derived from a loaded index) into buf.
 * @param buf  capacity bytes; always NUL-terminated when capacity > 0
 * @param needed receives strlen(description) + 1
 */
int rf_index_description(const rf_index* index, char* buf, size_t capacity, size_t* needed);

/**
 * Trains the index (k-means for IVF, codebooks for PQ); a no-op for indexes that need no training.
 * @param x  n * d floats
 */
int rf_index_train(rf_index* index, int64_t n, const float* x);

/**
 * Adds vectors with 64-bit ids.
 * @param x    n * d floats
 * @param ids  n ids
 */
int rf_index_add_with_ids(rf_index* index, int64_t n, const float* x, const int64_t* ids);

/**
 * Batch top-k search by inner product; thread-safe (any number of concurrent calls on one index).
 * HNSW: Faiss 1.7.3 reads the frontier size from the index itself, so the shim sets it per call under a lock:
 * calls with the same ef_search run concurrently, a call with another value waits for them (and they for it).
 * @param x          n * d floats
 * @param k          results per query, > 0
 * @param nprobe     IVF lists to probe (<= 0: index default; ignored by non-IVF indexes)
 * @param ef_search  HNSW search frontier (<= 0: the index's own value at creation/load; ignored by non-HNSW indexes)
 * @param distances  n * k floats (inner products, best first)
 * @param labels     n * k ids (-1 where fewer than k results)
 */
int rf_index_search(const rf_index* index, int64_t n, const float* x, int64_t k, int nprobe, int ef_search,
                    float* distances, int64_t* labels);

/**
 * Benchmark helper: the same as calling rf_index_search once per query (n calls with one query
 * each), in a loop entirely in C, timed inside C.
 * @param clock            0: monotonic wall clock; 1: CPU time of the calling thread (immune to preemption)
 * @param elapsed_seconds  receives the time of the loop on that clock
 */
int rf_index_search_loop(const rf_index* index, int64_t n, const float* x, int64_t k, int nprobe, int ef_search,
                         float* distances, int64_t* labels, int clock, double* elapsed_seconds);

/**
 * Copies every stored vector with its id (the exact reference of the recall audit), in storage order.
 * @param x         ntotal * d floats
 * @param ids       ntotal ids
 * @param lossless  receives 1 when the vectors are stored uncompressed (Flat, HNSW over Flat, IVF-Flat), 0 when
 *                  they are decoded approximations (PQ codes)
 */
int rf_index_reconstruct_all(const rf_index* index, float* x, int64_t* ids, int* lossless);

/** Writes the index with faiss::write_index (non-IVF indexes are wrapped in an IndexIDMap to keep ids). */
int rf_index_write(const rf_index* index, const char* path);

/** Reads an index written by rf_index_write. */
int rf_index_read(const char* path, rf_index** out);

#ifdef __cplusplus
}
#endif

#if defined(RF_FAISS_BUILD) && defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
