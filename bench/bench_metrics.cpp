// Retrieval and attack metrics on a 25,000-caption x 5,000-image similarity matrix (COCO's test
// scale: 5 captions per image), the paper's full metric set: R@1/5/10 and mean/median rank in
// both directions, and MinRank/Hit@K of 250 class-A captions against 250 class-B images plus the
// random-caption baseline. Writes the matrix and index files as .npy/.json so
// bench/metrics_peer.py (numpy, argsort per row) measures the same inputs; prints one JSON line.
//
//   bench_metrics --out DIR [--images 5000] [--captions-per-image 5] [--repeat 5] [--threads 1]
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Rng.h"
#include "poisonlab/core/eval/AttackMetrics.h"
#include "poisonlab/core/eval/RetrievalMetrics.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <numeric>

using namespace poisonlab;

namespace {

void writeNpy(const std::filesystem::path &path, const void *data, std::size_t bytes, const std::string &descr,
              const std::vector<std::int64_t> &shape)
{
    std::string dims;
    for (auto s : shape)
        dims += std::to_string(s) + ", ";
    std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    std::ofstream out(path, std::ios::binary);
    out.write("\x93NUMPY\x01\x00", 8);
    const std::uint16_t len = std::uint16_t(header.size());
    out.put(char(len & 0xff)).put(char(len >> 8));
    out << header;
    out.write(static_cast<const char *>(data), std::streamsize(bytes));
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

} // namespace

int main(int argc, char **argv)
{
    std::filesystem::path outDir;
    std::int64_t images = 5000, perImage = 5;
    int repeat = 5, threads = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--out")
            outDir = argv[i + 1];
        else if (a == "--images")
            images = std::stoll(argv[i + 1]);
        else if (a == "--captions-per-image")
            perImage = std::stoll(argv[i + 1]);
        else if (a == "--repeat")
            repeat = std::stoi(argv[i + 1]);
        else if (a == "--threads")
            threads = std::stoi(argv[i + 1]);
        else {
            std::cerr << "unknown option " << a << "\n";
            return 2;
        }
    }
    // A structured matrix without a model: each similarity is noise, plus a bonus when the image
    // is of the caption's image's class (20 classes), plus a larger one for the caption's own
    // image; so ranks spread over the whole gallery as in a real evaluation. Seeded.
    const std::int64_t captions = images * perImage, classes = 20;
    std::vector<float> simsData(std::size_t(captions * images));
    {
        Rng rng(0);
        for (std::int64_t c = 0; c < captions; ++c) {
            const std::int64_t own = c / perImage;
            float *row = simsData.data() + c * images;
            for (std::int64_t i = 0; i < images; ++i)
                row[i] = float(0.3 * rng.uniform()) + (i % classes == own % classes ? 0.1f : 0.0f);
            row[own] += float(0.15 + 0.2 * rng.uniform());
        }
    }

    std::vector<int> captionImage(static_cast<std::size_t>(captions));
    for (std::int64_t c = 0; c < captions; ++c)
        captionImage[std::size_t(c)] = int(c / perImage);
    // Goal: captions of class-0 images (first 250 of them) -> any class-1 image.
    std::vector<int> queries, targets, candidates;
    for (std::int64_t c = 0; c < captions; ++c) {
        const int cls = int(captionImage[std::size_t(c)] % classes);
        if (cls == 0 && queries.size() < 250)
            queries.push_back(int(c));
        if (cls != 0)
            candidates.push_back(int(c));
    }
    for (std::int64_t i = 0; i < images; ++i)
        if (i % classes == 1 && targets.size() < 250)
            targets.push_back(int(i));

    eval::SimilarityView view{simsData.data(), captions, images};
    double best = 1e30, bestCpu = 1e30; // wall and process CPU time (the machine is shared)
    nlohmann::json result;
    for (int r = 0; r < repeat; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        auto utility = eval::computeRetrievalMetrics(view, captionImage, threads);
        auto attack = eval::evaluateAttack(view, eval::AttackGoal{"class0->class1", queries, targets}, candidates, 1);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        bestCpu = std::min(bestCpu, double(std::clock() - c0) / CLOCKS_PER_SEC);
        if (s < best) {
            best = s;
            result = {{"utility", utility.toJson()}, {"attack", attack.toJson()}};
        }
    }
    if (!outDir.empty()) {
        std::filesystem::create_directories(outDir);
        writeNpy(outDir / "sims.npy", simsData.data(), simsData.size() * 4, "<f4", {captions, images});
        auto attackRes =
            eval::evaluateAttack(view, eval::AttackGoal{"class0->class1", queries, targets}, candidates, 1);
        writeJsonAtomically(outDir / "index.json", {{"caption_image", captionImage},
                                                    {"queries", queries},
                                                    {"targets", targets},
                                                    {"baseline_rows", attackRes.baselineRows}});
    }
    nlohmann::json line = {{"seconds", best},    {"cpu_seconds", bestCpu}, {"captions", captions}, {"images", images},
                           {"threads", threads}, {"repeat", repeat},       {"metrics", result}};
    std::cout << line.dump() << std::endl;
    return 0;
}
