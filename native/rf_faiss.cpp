// rf_faiss.cpp - implementation of the C shim declared in rf_faiss.h.
// Every exported function catches all C++ exceptions and reports them as an error code plus a
// thread-local message; nothing is printed.

#include "rf_faiss.h"

#include <faiss/IVFlib.h>
#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVF.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexPQ.h>
#include <faiss/impl/FaissException.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>
#include <faiss/invlists/DirectMap.h>
#include <faiss/utils/Heap.h>
#include <faiss/utils/distances.h>

#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <shared_mutex>
#include <string>
#include <typeinfo>
#include <vector>

extern "C" void openblas_set_num_threads(int num_threads);

struct rf_index {
    /// The Faiss index (owned). Never an IndexIDMap: ids of non-IVF indexes live in `ids`.
    faiss::Index* index = nullptr;
    /// true when the index stores ids itself (IVF family); false when `ids` maps positions to ids.
    bool native_ids = false;
    /// position -> id when !native_ids.
    std::vector<faiss::Index::idx_t> ids;
    std::string description;
    /// HNSW only: the efSearch the index was created or loaded with (used when a call passes none).
    int default_ef = 0;
    /// HNSW only: guards hnsw.efSearch, which Faiss 1.7.3 reads during search (see search_hnsw).
    mutable std::shared_mutex ef_mutex;

    ~rf_index() { delete index; }
};

namespace {

thread_local std::string t_last_error;
std::atomic<int> g_threads{0};

struct rf_failure {
    int code;
    std::string message;
};

int fail(int code, const std::string& message) {
    t_last_error = message;
    return code;
}

/// omp_set_num_threads only changes the calling thread's ICV, so the count is re-applied on every
/// entry (a cheap store) to make one rf_set_num_threads call govern every thread that calls in.
void apply_threads() {
    int n = g_threads.load(std::memory_order_relaxed);
    if (n > 0 && omp_get_max_threads() != n) {
        omp_set_num_threads(n);
    }
}

template <typename F>
int guarded(F&& body) {
    try {
        t_last_error.clear();
        apply_threads();
        body();
        return RF_OK;
    } catch (const rf_failure& e) {
        return fail(e.code, e.message);
    } catch (const faiss::FaissException& e) {
        return fail(RF_ERR_FAISS, e.what());
    } catch (const std::bad_alloc&) {
        return fail(RF_ERR_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        return fail(RF_ERR_UNKNOWN, e.what());
    } catch (...) {
        return fail(RF_ERR_UNKNOWN, "unknown C++ exception");
    }
}

void require(bool condition, int code, const std::string& message) {
    if (!condition) {
        throw rf_failure{code, message};
    }
}

// ---------------------------------------------------------------------------------------------
// Inner-product kernels with AVX2 + FMA.
//
// Debian builds Faiss for the x86-64 baseline (SSE2), where fvec_inner_product is the scalar
// reference loop: one dependent add per element. Serving searches are single queries, which Faiss
// does not send to BLAS (distance_compute_blas_threshold), so IVF-Flat list scans and exact Flat
// searches ran at a fraction of the machine's speed. The shim subclasses the two index types and
// scans with a vectorised kernel when the CPU has AVX2 and FMA (checked at run time); the index
// structures, training, storage and file format stay Faiss's own.
// ---------------------------------------------------------------------------------------------

bool cpu_has_avx2_fma() {
    static const bool supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return supported;
}

std::atomic<bool> g_simd_scan{true};

bool simd_scan() { return g_simd_scan.load(std::memory_order_relaxed) && cpu_has_avx2_fma(); }

__attribute__((target("avx2,fma"))) float inner_product_avx2(const float* x, const float* y, size_t d) {
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= d; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8), acc1);
    }
    if (i + 8 <= d) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), acc0);
        i += 8;
    }
    const __m256 acc = _mm256_add_ps(acc0, acc1);
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    sum = _mm_hadd_ps(sum, sum);
    sum = _mm_hadd_ps(sum, sum);
    float result = _mm_cvtss_f32(sum);
    for (; i < d; i++) {
        result += x[i] * y[i];
    }
    return result;
}

/// Top-k by inner product of one query over n contiguous vectors, into a min-heap of size k
/// (the heap Faiss keeps for inner-product searches); ids[j] (or base + j when ids is null) label
/// vector j. Returns the number of heap updates.
size_t scan_inner_product(const float* query, const float* vectors, size_t n, size_t d, const faiss::Index::idx_t* ids,
                          faiss::Index::idx_t base, float* heap_scores, faiss::Index::idx_t* heap_ids, size_t k) {
    size_t updates = 0;
    for (size_t j = 0; j < n; j++) {
        const float score = inner_product_avx2(query, vectors + j * d, d);
        if (score > heap_scores[0]) {
            faiss::minheap_replace_top(k, heap_scores, heap_ids, score,
                                       ids != nullptr ? ids[j] : base + static_cast<faiss::Index::idx_t>(j));
            updates++;
        }
    }
    return updates;
}

/// IVF-Flat list scanner for the inner-product metric with the AVX2 kernel.
struct SimdInnerProductScanner : faiss::InvertedListScanner {
    size_t dimension;
    const float* query = nullptr;

    SimdInnerProductScanner(size_t d, bool store_pairs) : faiss::InvertedListScanner(store_pairs, nullptr), dimension(d) {
        keep_max = true;
        code_size = d * sizeof(float);
    }

    void set_query(const float* query_vector) override { query = query_vector; }

    void set_list(idx_t list, float /*coarse_dis*/) override { list_no = list; }

    float distance_to_code(const uint8_t* code) const override {
        return inner_product_avx2(query, reinterpret_cast<const float*>(code), dimension);
    }

    size_t scan_codes(size_t n, const uint8_t* codes, const idx_t* ids, float* simi, idx_t* idxi, size_t k) const override {
        const auto* vectors = reinterpret_cast<const float*>(codes);
        if (!store_pairs) {
            return scan_inner_product(query, vectors, n, dimension, ids, 0, simi, idxi, k);
        }
        // Positions instead of labels: (list, offset) packed as Faiss does.
        return scan_inner_product(query, vectors, n, dimension, nullptr,
                                  static_cast<idx_t>(faiss::lo_build(static_cast<uint64_t>(list_no), 0)), simi, idxi, k);
    }
};

struct SimdIndexIVFFlat : faiss::IndexIVFFlat {
    /// Takes over the quantizer and inverted lists of other (which must release them).
    explicit SimdIndexIVFFlat(const faiss::IndexIVFFlat& other) : faiss::IndexIVFFlat(other) {}

    faiss::InvertedListScanner* get_InvertedListScanner(bool store_pairs, const faiss::IDSelector* sel) const override {
        if (sel == nullptr && metric_type == faiss::METRIC_INNER_PRODUCT && simd_scan()) {
            return new SimdInnerProductScanner(d, store_pairs);
        }
        return faiss::IndexIVFFlat::get_InvertedListScanner(store_pairs, sel);
    }
};

struct SimdIndexFlatIP : faiss::IndexFlatIP {
    explicit SimdIndexFlatIP(idx_t dimension) : faiss::IndexFlatIP(dimension) {}

    void search(idx_t n, const float* x, idx_t k, float* distances, idx_t* labels,
                const faiss::SearchParameters* params) const override {
        // Batches go to BLAS as before (Faiss's own threshold); filtered searches to Faiss's path.
        if (n >= faiss::distance_compute_blas_threshold || (params != nullptr && params->sel != nullptr) || !simd_scan()) {
            faiss::IndexFlatIP::search(n, x, k, distances, labels, params);
            return;
        }
        const auto* vectors = reinterpret_cast<const float*>(codes.data());
        for (idx_t q = 0; q < n; q++) {
            float* scores = distances + q * k;
            idx_t* ids = labels + q * k;
            faiss::minheap_heapify(static_cast<size_t>(k), scores, ids);
            scan_inner_product(x + q * d, vectors, static_cast<size_t>(ntotal), static_cast<size_t>(d), nullptr, 0, scores, ids,
                               static_cast<size_t>(k));
            faiss::minheap_reorder(static_cast<size_t>(k), scores, ids);
        }
    }
};

/// The plain inner-product Flat index as a SimdIndexFlatIP holding its vectors (moved, not copied);
/// any other index is returned as it is. Takes ownership of index.
faiss::Index* simd_flat(faiss::Index* index) {
    auto* flat = dynamic_cast<faiss::IndexFlat*>(index);
    if (flat == nullptr || flat->metric_type != faiss::METRIC_INNER_PRODUCT ||
        (typeid(*flat) != typeid(faiss::IndexFlat) && typeid(*flat) != typeid(faiss::IndexFlatIP))) {
        return index;
    }
    auto* simd = new SimdIndexFlatIP(flat->d);
    simd->codes.swap(flat->codes);
    simd->ntotal = flat->ntotal;
    simd->is_trained = flat->is_trained;
    simd->verbose = flat->verbose;
    delete flat;
    return simd;
}

/// Replaces Flat (IP) and IVF-Flat (IP, and its Flat quantizer) with their AVX2-scanning subclasses,
/// taking over their data; other indexes are returned as they are. Takes ownership of index.
faiss::Index* with_simd_scan(faiss::Index* index) {
    if (auto* ivf = dynamic_cast<faiss::IndexIVFFlat*>(index); ivf != nullptr && typeid(*ivf) == typeid(faiss::IndexIVFFlat)) {
        auto* simd = new SimdIndexIVFFlat(*ivf);
        ivf->own_fields = false;
        ivf->own_invlists = false;
        delete ivf;
        if (simd->own_fields) {
            simd->quantizer = simd_flat(simd->quantizer);
        }
        return simd;
    }
    return simd_flat(index);
}

void seed_index(faiss::Index* index, int seed) {
    if (auto* ivf = dynamic_cast<faiss::IndexIVF*>(index)) {
        ivf->cp.seed = seed;
        if (auto* ivfpq = dynamic_cast<faiss::IndexIVFPQ*>(index)) {
            ivfpq->pq.cp.seed = seed;
            // Polysemous codes only serve Hamming-filtered search, which the shim does not expose; their
            // simulated-annealing training costs minutes even on tiny inputs.
            ivfpq->do_polysemous_training = false;
        }
    } else if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(index)) {
        hnsw->hnsw.rng = faiss::RandomGenerator(seed);
    } else if (auto* pq = dynamic_cast<faiss::IndexPQ*>(index)) {
        pq->pq.cp.seed = seed;
        pq->do_polysemous_training = false;
    }
}

std::string describe(const faiss::Index* index) {
    if (dynamic_cast<const faiss::IndexFlat*>(index)) {
        return "Flat";
    }
    if (auto* hnsw = dynamic_cast<const faiss::IndexHNSWFlat*>(index)) {
        return "HNSW" + std::to_string(hnsw->hnsw.nb_neighbors(1));
    }
    if (auto* ivf = dynamic_cast<const faiss::IndexIVFFlat*>(index)) {
        return "IVF" + std::to_string(ivf->nlist) + ",Flat";
    }
    if (auto* ivfpq = dynamic_cast<const faiss::IndexIVFPQ*>(index)) {
        std::string s = "IVF" + std::to_string(ivfpq->nlist) + ",PQ" + std::to_string(ivfpq->pq.M);
        if (ivfpq->pq.nbits != 8) {
            s += "x" + std::to_string(ivfpq->pq.nbits);
        }
        return s;
    }
    if (auto* pq = dynamic_cast<const faiss::IndexPQ*>(index)) {
        return "PQ" + std::to_string(pq->pq.M);
    }
    return "unknown";
}

void remap_ids(const rf_index* h, faiss::Index::idx_t n, faiss::Index::idx_t k, faiss::Index::idx_t* labels) {
    if (h->native_ids) {
        return;
    }
    const auto size = static_cast<faiss::Index::idx_t>(h->ids.size());
    for (faiss::Index::idx_t i = 0; i < n * k; i++) {
        faiss::Index::idx_t label = labels[i];
        labels[i] = label >= 0 && label < size ? h->ids[label] : -1;
    }
}

/// Faiss 1.7.3 sizes HNSW's candidate queue from the index's own hnsw.efSearch and takes only the stopping
/// rule from SearchParametersHNSW (fixed upstream by facebookresearch/faiss#3233), so a per-call efSearch above
/// the index's value had no effect. The index's value is therefore set to the requested one, under an exclusive
/// lock when it differs; calls with the current value search concurrently under a shared lock.
void search_hnsw(const rf_index* h, const faiss::IndexHNSW* hnsw, faiss::Index::idx_t n, const float* x, faiss::Index::idx_t k,
                 int ef_search, float* distances, faiss::Index::idx_t* labels) {
    faiss::SearchParametersHNSW params;
    params.efSearch = ef_search > 0 ? ef_search : h->default_ef;
    params.check_relative_distance = hnsw->hnsw.check_relative_distance;
    {
        std::shared_lock<std::shared_mutex> shared(h->ef_mutex);
        if (hnsw->hnsw.efSearch == params.efSearch) {
            hnsw->search(n, x, k, distances, labels, &params);
            return;
        }
    }
    std::unique_lock<std::shared_mutex> exclusive(h->ef_mutex);
    const_cast<faiss::IndexHNSW*>(hnsw)->hnsw.efSearch = params.efSearch;
    hnsw->search(n, x, k, distances, labels, &params);
}

void search_impl(const rf_index* h, faiss::Index::idx_t n, const float* x, faiss::Index::idx_t k, int nprobe, int ef_search,
                 float* distances, faiss::Index::idx_t* labels) {
    const faiss::Index* index = h->index;
    if (auto* ivf = dynamic_cast<const faiss::IndexIVF*>(index)) {
        faiss::SearchParametersIVF params;
        params.nprobe = nprobe > 0 ? static_cast<size_t>(nprobe) : ivf->nprobe;
        params.max_codes = ivf->max_codes;
        index->search(n, x, k, distances, labels, &params);
    } else if (auto* hnsw = dynamic_cast<const faiss::IndexHNSW*>(index)) {
        search_hnsw(h, hnsw, n, x, k, ef_search, distances, labels);
    } else {
        index->search(n, x, k, distances, labels, nullptr);
    }
    remap_ids(h, n, k, labels);
}

} // namespace

extern "C" {

const char* rf_last_error(void) { return t_last_error.c_str(); }

int rf_version(void) { return 1; }

int rf_set_num_threads(int n) {
    if (n < 1) {
        return fail(RF_ERR_INVALID_ARGUMENT, "thread count must be >= 1, got " + std::to_string(n));
    }
    g_threads.store(n);
    omp_set_num_threads(n);
    t_last_error.clear();
    return RF_OK;
}

int rf_get_num_threads(void) { return g_threads.load(); }

int rf_simd_scan_available(void) { return cpu_has_avx2_fma() ? 1 : 0; }

int rf_set_simd_scan(int enabled) {
    g_simd_scan.store(enabled != 0);
    return RF_OK;
}

int rf_get_simd_scan(void) { return simd_scan() ? 1 : 0; }

int rf_set_blas_threads(int n) {
    if (n < 1) {
        return fail(RF_ERR_INVALID_ARGUMENT, "BLAS thread count must be >= 1, got " + std::to_string(n));
    }
    openblas_set_num_threads(n);
    t_last_error.clear();
    return RF_OK;
}

int rf_index_create(const char* description, int d, int seed, rf_index** out) {
    return guarded([&] {
        require(out != nullptr, RF_ERR_INVALID_ARGUMENT, "out is null");
        *out = nullptr;
        require(description != nullptr && *description != '\0', RF_ERR_INVALID_ARGUMENT, "description is empty");
        require(d > 0, RF_ERR_INVALID_ARGUMENT, "dimension must be > 0, got " + std::to_string(d));
        std::unique_ptr<faiss::Index> index;
        try {
            index.reset(faiss::index_factory(d, description, faiss::METRIC_INNER_PRODUCT));
        } catch (const faiss::FaissException& e) {
            throw rf_failure{RF_ERR_INVALID_ARGUMENT,
                             std::string("invalid index description '") + description + "': " + e.what()};
        }
        require(dynamic_cast<faiss::IndexIDMap*>(index.get()) == nullptr, RF_ERR_INVALID_ARGUMENT,
                std::string("description '") + description + "' must not contain IDMap: ids are handled by the shim");
        index.reset(with_simd_scan(index.release()));
        seed_index(index.get(), seed);
        auto handle = std::make_unique<rf_index>();
        handle->native_ids = faiss::ivflib::try_extract_index_ivf(index.get()) != nullptr;
        handle->description = description;
        if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(index.get())) {
            handle->default_ef = hnsw->hnsw.efSearch;
        }
        handle->index = index.release();
        *out = handle.release();
    });
}

void rf_index_free(rf_index* index) { delete index; }

int rf_index_dimension(const rf_index* index, int* out) {
    return guarded([&] {
        require(index != nullptr && out != nullptr, RF_ERR_INVALID_ARGUMENT, "index or out is null");
        *out = index->index->d;
    });
}

int rf_index_ntotal(const rf_index* index, int64_t* out) {
    return guarded([&] {
        require(index != nullptr && out != nullptr, RF_ERR_INVALID_ARGUMENT, "index or out is null");
        *out = index->index->ntotal;
    });
}

int rf_index_is_trained(const rf_index* index, int* out) {
    return guarded([&] {
        require(index != nullptr && out != nullptr, RF_ERR_INVALID_ARGUMENT, "index or out is null");
        *out = index->index->is_trained ? 1 : 0;
    });
}

int rf_index_description(const rf_index* index, char* buf, size_t capacity, size_t* needed) {
    return guarded([&] {
        require(index != nullptr, RF_ERR_INVALID_ARGUMENT, "index is null");
        const std::string& s = index->description;
        if (needed != nullptr) {
            *needed = s.size() + 1;
        }
        if (buf != nullptr && capacity > 0) {
            size_t copy = s.size() < capacity - 1 ? s.size() : capacity - 1;
            std::memcpy(buf, s.data(), copy);
            buf[copy] = '\0';
        }
    });
}

int rf_index_train(rf_index* index, int64_t n, const float* x) {
    return guarded([&] {
        require(index != nullptr, RF_ERR_INVALID_ARGUMENT, "index is null");
        require(n > 0 && x != nullptr, RF_ERR_INVALID_ARGUMENT, "training needs n > 0 vectors, got " + std::to_string(n));
        if (!index->index->is_trained) {
            index->index->train(n, x);
        }
    });
}

int rf_index_add_with_ids(rf_index* index, int64_t n, const float* x, const int64_t* ids) {
    return guarded([&] {
        require(index != nullptr, RF_ERR_INVALID_ARGUMENT, "index is null");
        require(n >= 0, RF_ERR_INVALID_ARGUMENT, "n must be >= 0, got " + std::to_string(n));
        if (n == 0) {
            return;
        }
        require(x != nullptr && ids != nullptr, RF_ERR_INVALID_ARGUMENT, "x or ids is null");
        require(index->index->is_trained, RF_ERR_NOT_TRAINED, "index '" + index->description + "' is not trained");
        if (index->native_ids) {
            index->index->add_with_ids(n, x, ids);
        } else {
            index->ids.reserve(index->ids.size() + static_cast<size_t>(n));
            index->index->add(n, x);
            index->ids.insert(index->ids.end(), ids, ids + n);
        }
    });
}

int rf_index_search(const rf_index* index, int64_t n, const float* x, int64_t k, int nprobe, int ef_search,
                    float* distances, int64_t* labels) {
    return guarded([&] {
        require(index != nullptr, RF_ERR_INVALID_ARGUMENT, "index is null");
        require(n >= 0 && k > 0, RF_ERR_INVALID_ARGUMENT, "need n >= 0 and k > 0, got n=" + std::to_string(n) + " k=" + std::to_string(k));
        require(n == 0 || (x != nullptr && distances != nullptr && labels != nullptr), RF_ERR_INVALID_ARGUMENT, "a buffer is null");
        require(index->index->is_trained, RF_ERR_NOT_TRAINED, "index '" + index->description + "' is not trained");
        if (n > 0) {
            search_impl(index, n, x, k, nprobe, ef_search, distances, labels);
        }
    });
}

int rf_index_search_loop(const rf_index* index, int64_t n, const float* x, int64_t k, int nprobe, int ef_search,
                         float* distances, int64_t* labels, int clock, double* elapsed_seconds) {
    return guarded([&] {
        require(index != nullptr && elapsed_seconds != nullptr, RF_ERR_INVALID_ARGUMENT, "index or elapsed_seconds is null");
        require(n >= 0 && k > 0, RF_ERR_INVALID_ARGUMENT, "need n >= 0 and k > 0");
        require(n == 0 || (x != nullptr && distances != nullptr && labels != nullptr), RF_ERR_INVALID_ARGUMENT, "a buffer is null");
        require(clock == 0 || clock == 1, RF_ERR_INVALID_ARGUMENT, "clock must be 0 or 1, got " + std::to_string(clock));
        const int d = index->index->d;
        const clockid_t id = clock == 0 ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID;
        timespec start{}, stop{};
        clock_gettime(id, &start);
        for (int64_t i = 0; i < n; i++) {
            search_impl(index, 1, x + i * d, k, nprobe, ef_search, distances + i * k, labels + i * k);
        }
        clock_gettime(id, &stop);
        *elapsed_seconds = static_cast<double>(stop.tv_sec - start.tv_sec) + 1e-9 * static_cast<double>(stop.tv_nsec - start.tv_nsec);
    });
}

int rf_index_reconstruct_all(const rf_index* index, float* x, int64_t* ids, int* lossless) {
    return guarded([&] {
        require(index != nullptr && lossless != nullptr, RF_ERR_INVALID_ARGUMENT, "index or lossless is null");
        const faiss::Index* inner = index->index;
        const int64_t n = inner->ntotal;
        require(n == 0 || (x != nullptr && ids != nullptr), RF_ERR_INVALID_ARGUMENT, "x or ids is null");
        if (auto* ivf = dynamic_cast<const faiss::IndexIVF*>(inner)) {
            // Walk the inverted lists: IVF ids are arbitrary, so Faiss's reconstruct_n (ids as positions) cannot serve.
            int64_t at = 0;
            for (size_t list = 0; list < ivf->nlist; list++) {
                const size_t size = ivf->invlists->list_size(list);
                require(at + static_cast<int64_t>(size) <= n, RF_ERR_FAISS, "inverted lists hold more vectors than ntotal");
                faiss::InvertedLists::ScopedIds list_ids(ivf->invlists, list);
                for (size_t offset = 0; offset < size; offset++, at++) {
                    ivf->reconstruct_from_offset(static_cast<int64_t>(list), static_cast<int64_t>(offset), x + at * inner->d);
                    ids[at] = list_ids[offset];
                }
            }
            require(at == n, RF_ERR_FAISS, "inverted lists hold fewer vectors than ntotal");
            *lossless = dynamic_cast<const faiss::IndexIVFFlat*>(ivf) != nullptr ? 1 : 0;
            return;
        }
        require(!index->native_ids && static_cast<int64_t>(index->ids.size()) == n, RF_ERR_INVALID_ARGUMENT,
                "index '" + index->description + "' cannot list its vectors");
        if (n > 0) {
            inner->reconstruct_n(0, n, x);
            std::copy(index->ids.begin(), index->ids.end(), ids);
        }
        auto* hnsw = dynamic_cast<const faiss::IndexHNSW*>(inner);
        const bool flat = dynamic_cast<const faiss::IndexFlat*>(inner) != nullptr
                || (hnsw != nullptr && dynamic_cast<const faiss::IndexFlat*>(hnsw->storage) != nullptr);
        *lossless = flat ? 1 : 0;
    });
}

int rf_index_write(const rf_index* index, const char* path) {
    return guarded([&] {
        require(index != nullptr && path != nullptr, RF_ERR_INVALID_ARGUMENT, "index or path is null");
        // Searches may have changed hnsw.efSearch (see search_hnsw): write the index's own default.
        std::unique_lock<std::shared_mutex> exclusive(index->ef_mutex);
        if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(index->index)) {
            hnsw->hnsw.efSearch = index->default_ef;
        }
        try {
            if (index->native_ids) {
                faiss::write_index(index->index, path);
            } else {
                faiss::IndexIDMap wrapper;
                wrapper.index = index->index;
                wrapper.own_fields = false;
                wrapper.id_map = index->ids;
                wrapper.d = index->index->d;
                wrapper.ntotal = index->index->ntotal;
                wrapper.is_trained = index->index->is_trained;
                wrapper.metric_type = index->index->metric_type;
                faiss::write_index(&wrapper, path);
            }
        } catch (const faiss::FaissException& e) {
            throw rf_failure{RF_ERR_IO, std::string("cannot write index to '") + path + "': " + e.what()};
        }
    });
}

int rf_index_read(const char* path, rf_index** out) {
    return guarded([&] {
        require(out != nullptr && path != nullptr, RF_ERR_INVALID_ARGUMENT, "out or path is null");
        *out = nullptr;
        std::unique_ptr<faiss::Index> loaded;
        try {
            loaded.reset(faiss::read_index(path));
        } catch (const faiss::FaissException& e) {
            throw rf_failure{RF_ERR_IO, std::string("cannot read index from '") + path + "': " + e.what()};
        }
        auto handle = std::make_unique<rf_index>();
        if (auto* map = dynamic_cast<faiss::IndexIDMap*>(loaded.get())) {
            require(map->index != nullptr, RF_ERR_IO, std::string("index file '") + path + "' has an empty IDMap");
            handle->ids = map->id_map;
            handle->native_ids = false;
            handle->index = with_simd_scan(map->index);
            map->own_fields = false;
            map->index = nullptr;
            loaded.reset();
        } else {
            handle->native_ids = true;
            handle->index = with_simd_scan(loaded.release());
        }
        require(handle->index->metric_type == faiss::METRIC_INNER_PRODUCT, RF_ERR_INVALID_ARGUMENT,
                std::string("index file '") + path + "' does not use the inner-product metric");
        handle->description = describe(handle->index);
        if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(handle->index)) {
            handle->default_ef = hnsw->hnsw.efSearch;
        }
        *out = handle.release();
    });
}

} // extern "C"
