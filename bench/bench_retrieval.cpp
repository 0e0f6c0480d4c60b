// Typed-query latency of the retrieval explorer: RetrievalGallery::topImagesForText (tokenise,
// embed with the run's text encoder, score against the cached gallery, top-K) on a run, per
// query, after the gallery is loaded once. Writes the queries' token ids, embeddings and top-K
// rows for bench/retrieval_peer.py (PyTorch + numpy on the same .npy gallery) and prints JSON.
//
//   bench_retrieval --run DIR [--model final] [--k 20] [--queries 60] [--repeat 5] [--out DIR]
#include "poisonlab/core/Npy.h"
#include "poisonlab/core/experiment/RetrievalGallery.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <set>

using namespace poisonlab;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double, std::milli>(b - a).count();
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

} // namespace

int main(int argc, char **argv)
{
    std::string run, model = "final", out;
    int k = 20, queries = 60, repeat = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--run")
            run = v;
        else if (a == "--model")
            model = v;
        else if (a == "--k")
            k = std::stoi(v);
        else if (a == "--queries")
            queries = std::stoi(v);
        else if (a == "--repeat")
            repeat = std::stoi(v);
        else if (a == "--out")
            out = v;
    }
    if (run.empty()) {
        std::cerr << "usage: bench_retrieval --run DIR [--model M] [--k K] [--queries N] [--repeat N] [--out DIR]\n";
        return 2;
    }
    NullProgress progress;
    const auto t0 = Clock::now();
    const auto g = experiment::RetrievalGallery::load({run, model, true}, progress);
    const double loadMs = ms(t0, Clock::now());

    // Distinct caption texts spread over the gallery, as a user would type them.
    std::vector<std::string> texts;
    std::set<std::string> seen;
    const auto &caps = g->dataset()->captions;
    for (std::size_t step = std::max<std::size_t>(1, caps.size() / std::size_t(queries)), r = 0;
         r < caps.size() && int(texts.size()) < queries; r += step)
        if (seen.insert(caps[r].text).second)
            texts.push_back(caps[r].text);
    g->topImagesForText(texts.front(), k); // warm-up

    std::vector<double> total, scoring;
    nlohmann::json records = nlohmann::json::array();
    std::vector<float> embeddings;
    for (const auto &text : texts) {
        double best = 1e300, bestScore = 1e300;
        std::vector<experiment::ImageHit> hits;
        torch::Tensor q;
        for (int r = 0; r < repeat; ++r) {
            const auto a = Clock::now();
            hits = g->topImagesForText(text, k);
            best = std::min(best, ms(a, Clock::now()));
            q = g->embedText(text);
            const auto b = Clock::now();
            g->topImages(q, k);
            bestScore = std::min(bestScore, ms(b, Clock::now()));
        }
        total.push_back(best);
        scoring.push_back(bestScore);
        nlohmann::json rows = nlohmann::json::array();
        for (const auto &h : hits)
            rows.push_back(h.row);
        // Token ids with start and end tokens, unpadded: the peer pads them to its context length.
        records.push_back({{"text", text}, {"ids", g->tokenizer()->encodeWithSpecialTokens(text)}, {"top", rows}});
        embeddings.insert(embeddings.end(), q.data_ptr<float>(), q.data_ptr<float>() + q.numel());
    }
    if (!out.empty()) {
        nlohmann::json file = {{"record", g->record().dir.string()},
                               {"model_file", (g->runDir() / "model" / "final.safetensors").string()},
                               {"k", k},
                               {"queries", records}};
        std::ofstream(out + "/queries.json") << file.dump();
        writeNpy(out + "/queries.npy", embeddings.data(),
                 {std::int64_t(texts.size()), std::int64_t(embeddings.size() / texts.size())});
    }
    const nlohmann::json result = {{"run", g->runName()},
                                   {"model", model},
                                   {"gallery_images", g->imageCount()},
                                   {"gallery_captions", g->captionCount()},
                                   {"k", k},
                                   {"queries", texts.size()},
                                   {"torch_threads", torch::get_num_threads()},
                                   {"load_ms", loadMs},
                                   {"query_ms_median", percentile(total, 0.5)},
                                   {"query_ms_p95", percentile(total, 0.95)},
                                   {"query_ms_max", percentile(total, 1.0)},
                                   {"scoring_ms_median", percentile(scoring, 0.5)}};
    std::cout << result.dump() << "\n";
    return 0;
}
