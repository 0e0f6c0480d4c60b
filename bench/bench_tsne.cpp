// Barnes-Hut t-SNE of 30,000 embeddings (COCO's test size: 5,000 images + 25,000 captions) with
// perplexity 30 and 1,000 iterations, beside scikit-learn's TSNE(method="barnes_hut") run by
// bench/tsne_peer.py on the same rows. The embeddings are synthetic but CLIP-like: 512-D, unit
// length, 80 classes, each caption near its image, images and captions apart by a modality gap
// (seeded; see makeEmbeddings). Writes DIR/x.npy (the input) and DIR/ours.npy (our layout);
// prints one JSON line with the seconds (wall, CPU, and the kNN + affinities part) and the KL.
//
//   bench_tsne --out DIR [--images 5000] [--captions-per-image 5] [--dim 512] [--perplexity 30]
//              [--iterations 1000] [--angle 0.5] [--threads 1] [--seed 0]
#include "poisonlab/core/Npy.h"
#include "poisonlab/core/analysis/Tsne.h"
#include "poisonlab/core/analysis/TsneBarnesHut.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <ctime>
#include <iostream>

using namespace poisonlab;

namespace {

/// images x perImage captions after the images, rows unit length. Image = class centre + noise +
/// the image side of the modality gap; caption = its image's pre-gap vector + noise + the text side.
torch::Tensor makeEmbeddings(std::int64_t images, std::int64_t perImage, std::int64_t dim, std::uint64_t seed)
{
    torch::manual_seed(seed);
    const std::int64_t classes = 80;
    const double s = 1.0 / std::sqrt(double(dim));
    const auto centres = torch::randn({classes, dim}) * s;
    const auto gapImage = torch::randn({1, dim}) * (0.5 * s), gapText = torch::randn({1, dim}) * (0.5 * s);
    const auto cls = torch::randint(classes, {images}, torch::kInt64);
    const auto base = centres.index_select(0, cls) + torch::randn({images, dim}) * (0.7 * s);
    const auto img = base + gapImage;
    const auto txt = base.repeat_interleave(perImage, 0) + torch::randn({images * perImage, dim}) * (0.7 * s) + gapText;
    auto x = torch::cat({img, txt});
    return (x / x.norm(2, 1, true)).contiguous();
}

double cpuSeconds()
{
    return double(std::clock()) / CLOCKS_PER_SEC;
}

} // namespace

int main(int argc, char **argv)
{
    std::filesystem::path outDir;
    std::int64_t images = 5000, perImage = 5, dim = 512;
    analysis::TsneOptions o;
    o.method = "barnes_hut";
    int threads = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--out")
            outDir = v;
        else if (a == "--images")
            images = std::stoll(v);
        else if (a == "--captions-per-image")
            perImage = std::stoll(v);
        else if (a == "--dim")
            dim = std::stoll(v);
        else if (a == "--perplexity")
            o.perplexity = std::stod(v);
        else if (a == "--iterations")
            o.iterations = std::stoi(v);
        else if (a == "--angle")
            o.angle = std::stod(v);
        else if (a == "--threads")
            threads = std::stoi(v);
        else if (a == "--seed")
            o.seed = std::stoull(v);
        else if (a == "--method")
            o.method = v;
        else {
            std::cerr << "unknown option " << a << "\n";
            return 2;
        }
    }
    if (outDir.empty()) {
        std::cerr << "usage: bench_tsne --out DIR [options]\n";
        return 2;
    }
    at::set_num_threads(threads);
    std::filesystem::create_directories(outDir);
    const auto x = makeEmbeddings(images, perImage, dim, o.seed);
    writeNpy(outDir / "x.npy", x.data_ptr<float>(), {x.size(0), x.size(1)});

    // The affinities alone, to show where the time goes (the run below computes them again).
    auto t0 = std::chrono::steady_clock::now();
    const auto p = analysis::nearestNeighbourAffinities(x, o.perplexity);
    const double affinitySeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    t0 = std::chrono::steady_clock::now();
    const double c0 = cpuSeconds();
    const auto r = analysis::tsne(x, o);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpuSeconds() - c0;
    const auto layout = r.points.to(torch::kFloat32).contiguous();
    writeNpy(outDir / "ours.npy", layout.data_ptr<float>(), {layout.size(0), 2});
    std::cout << nlohmann::json{{"rows", x.size(0)},
                                {"dim", x.size(1)},
                                {"threads", threads},
                                {"method", r.method},
                                {"perplexity", o.perplexity},
                                {"iterations", o.iterations},
                                {"angle", o.angle},
                                {"seconds", seconds},
                                {"cpu_seconds", cpu},
                                {"affinity_seconds", affinitySeconds},
                                {"p_entries", p.values.size()},
                                {"kl_divergence", r.klDivergence}}
                     .dump()
              << "\n";
    return 0;
}
