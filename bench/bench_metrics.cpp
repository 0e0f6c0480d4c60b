// Retrieval and attack metrics on a 25,000-caption x 5,000-image similarity matrix (COCO's test
// scale: 5 captions per image), the paper's full metric set: R@1/5/10 and mean/median rank in
// both directions, and MinRank/Hit@K of 250 class-A captions against 250 class-B images plus the
// random-caption baseline. Writes the matrix and index files as .npy/.json so
// bench/metrics_peer.py (numpy, argsort per row) measures the same inputs; prints one JSON line.
//
//   bench_metrics --out DIR [--images 5000] [--captions-per-image 5] [--repeat 5] [--threads 1]
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/eval/AttackMetrics.h"
#include "poisonlab/core/eval/RetrievalMetrics.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
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
    torch::set_num_threads(1);
    // Embeddings with structure: each caption is its image's embedding plus noise; images fall in
    // 20 classes. Normalised, so the matrix holds cosine similarities as the Evaluator's does.
    torch::manual_seed(0);
    const std::int64_t captions = images * perImage, dim = 64, classes = 20;
    auto classCentres = torch::randn({classes, dim});
    auto imageClass = torch::arange(images) % classes;
    auto img = classCentres.index_select(0, imageClass) + 1.5 * torch::randn({images, dim});
    img = img / img.norm(2, 1, true);
    auto captionImageT = torch::arange(captions) / perImage;
    auto txt = img.index_select(0, captionImageT) + 0.9 * torch::randn({captions, dim}) / std::sqrt(double(dim));
    txt = txt / txt.norm(2, 1, true);
    auto sims = txt.matmul(img.t()).contiguous();

    std::vector<int> captionImage(std::size_t(captions));
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

    eval::SimilarityView view{sims.data_ptr<float>(), captions, images};
    double best = 1e30;
    nlohmann::json result;
    for (int r = 0; r < repeat; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        auto utility = eval::computeRetrievalMetrics(view, captionImage, threads);
        auto attack = eval::evaluateAttack(view, eval::AttackGoal{"class0->class1", queries, targets}, candidates, 1);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (s < best) {
            best = s;
            result = {{"utility", utility.toJson()}, {"attack", attack.toJson()}};
        }
    }
    if (!outDir.empty()) {
        std::filesystem::create_directories(outDir);
        writeNpy(outDir / "sims.npy", sims.data_ptr<float>(), std::size_t(sims.numel()) * 4, "<f4", {captions, images});
        auto attackRes =
            eval::evaluateAttack(view, eval::AttackGoal{"class0->class1", queries, targets}, candidates, 1);
        writeJsonAtomically(outDir / "index.json", {{"caption_image", captionImage},
                                                    {"queries", queries},
                                                    {"targets", targets},
                                                    {"baseline_rows", attackRes.baselineRows}});
    }
    nlohmann::json line = {{"seconds", best},    {"captions", captions}, {"images", images},
                           {"threads", threads}, {"repeat", repeat},     {"metrics", result}};
    std::cout << line.dump() << std::endl;
    return 0;
}
