// CLIP tokenizer speed: loading OpenAI's merges file, then encoding the fixture captions
// (clip_tokenizer_cases.jsonl) with a cold word cache (first pass) and a warm one (later
// passes). bench/tokenizer_peer.py runs OpenAI's simple_tokenizer on the same input; see
// bench/run_tokenizer_bench.sh. Prints one JSON line.
//
//   bench_tokenizer VOCAB CASES.jsonl [--repeat N]
#include "poisonlab/core/clip/ClipBpeTokenizer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>

using namespace poisonlab;
using Clock = std::chrono::steady_clock;

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::cerr << "usage: bench_tokenizer VOCAB CASES.jsonl [--repeat N]\n";
        return 2;
    }
    int repeat = 200;
    if (argc >= 5 && std::string(argv[3]) == "--repeat")
        repeat = std::stoi(argv[4]);
    std::vector<std::string> texts;
    std::ifstream in(argv[2]);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            texts.push_back(nlohmann::json::parse(line).at("text").get<std::string>());

    const auto t0 = Clock::now();
    auto tok = clip::ClipBpeTokenizer::fromMergesFile(argv[1]);
    const double loadS = std::chrono::duration<double>(Clock::now() - t0).count();

    long long checksum = 0, ids = 0;
    const auto t1 = Clock::now();
    for (const auto &t : texts)
        for (int64_t id : tok->encodeWithSpecialTokens(t, 77))
            checksum += id, ++ids;
    const double coldS = std::chrono::duration<double>(Clock::now() - t1).count();

    const auto t2 = Clock::now();
    for (int r = 0; r < repeat; ++r)
        for (const auto &t : texts)
            checksum += static_cast<long long>(tok->encodeWithSpecialTokens(t, 77).size());
    const double warmS = std::chrono::duration<double>(Clock::now() - t2).count();

    nlohmann::json out = {{"captions", texts.size()},
                          {"ids", ids},
                          {"load_s", loadS},
                          {"cold_captions_per_s", texts.size() / coldS},
                          {"warm_captions_per_s", repeat * texts.size() / warmS},
                          {"first_pass_id_sum", checksum - static_cast<long long>(repeat) * ids}};
    std::cout << out.dump() << "\n";
    return 0;
}
