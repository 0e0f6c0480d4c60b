// poisonlab-cli bench train-step: time of one CLIP fine-tuning step (see bench/run_train_step_bench.sh).
#include "CliParsing.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipFlops.h"
#include "poisonlab/core/clip/ClipTrainStep.h"

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>

#include <chrono>

namespace poisonlab::cli {

class BenchCommand : public CliCommand {
    static int matmulPeak(const std::string &precision, int n, int threads, int repeats, CliStreams streams);

public:
    std::string name() const override { return "bench"; }
    std::string summary() const override { return "benchmarks: `bench train-step` times a CLIP fine-tuning step"; }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app{"Benchmarks. `train-step` prints {\"ms_per_step\": x, \"samples_per_s\": y} for a full CLIP "
                     "fine-tuning step (both towers, scaled logits, symmetric cross-entropy, backward, AdamW lr 1e-5, "
                     "betas 0.9/0.98, eps 1e-6, wd 0.2) on random pixels and token rows whose end-of-text sits at "
                     "position L-1.",
                     "bench"};
        app.require_subcommand(1);
        CLI::App *ts = app.add_subcommand("train-step", "time a CLIP fine-tuning step");
        CLI::App *peak = app.add_subcommand(
            "matmul-peak", "measure this machine's matrix-product rate (GFLOP/s) for a precision: the yardstick "
                           "train-step's achieved GFLOP/s are a share of");
        std::string peakPrecision = "fp32";
        int peakSize = 2048, peakThreads = 1, peakRepeats = 5;
        peak->add_option("--precision", peakPrecision, "fp32 or bf16")->check(CLI::IsMember({"fp32", "bf16"}));
        peak->add_option("--size", peakSize, "n of the n x n matrices")->check(CLI::Range(64, 16384));
        peak->add_option("--threads", peakThreads, "intra-op threads")->check(CLI::Range(1, 1024));
        peak->add_option("--repeats", peakRepeats, "timed products (the best counts)")->check(CLI::Range(1, 1000));
        std::string configFile, device = "cpu", precision = "fp32";
        int batch = 64, steps = 10, textLen = 16, warmup = 2, threads = 0;
        uint64_t seed = 0;
        ts->add_option("--model-config", configFile, "JSON with OpenAI CLIP's constructor arguments")->required();
        ts->add_option("--batch", batch, "batch size")->check(CLI::Range(1, 1 << 16));
        ts->add_option("--steps", steps, "timed steps")->check(CLI::Range(1, 1 << 20));
        ts->add_option("--text-len", textLen, "caption length L including start and end tokens")
            ->check(CLI::Range(2, 1 << 16));
        ts->add_option("--warmup", warmup, "untimed steps first")->check(CLI::Range(0, 1000));
        ts->add_option("--device", device, "cpu or cuda")->check(CLI::IsMember({"cpu", "cuda"}));
        ts->add_option("--precision", precision,
                       "fp32, bf16 (autocast: CPU with AVX512-BF16/AMX, or CUDA) or fp16 (CUDA)")
            ->check(CLI::IsMember({"fp32", "bf16", "fp16"}));
        ts->add_option("--threads", threads, "intra-op threads (0: LibTorch's default)")->check(CLI::Range(0, 1024));
        ts->add_option("--seed", seed, "random seed");
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;
        if (peak->parsed())
            return matmulPeak(peakPrecision, peakSize, peakThreads, peakRepeats, streams);
        try {
            const clip::ClipConfig config = [&] {
                try {
                    return clip::ClipConfig::fromJson(readJsonFile(configFile));
                } catch (const Error &e) {
                    if (!e.file().empty())
                        throw;
                    throw Error(configFile, e.what()); // name the file the bad key is in
                }
            }();
            if (textLen > config.contextLength)
                throw Error("--text-len " + std::to_string(textLen) + " exceeds the context length " +
                            std::to_string(config.contextLength));
            if (device == "cuda" && !torch::cuda::is_available())
                throw Error("--device cuda: no CUDA device is available to this build");
            if (threads > 0)
                at::set_num_threads(threads);
            torch::manual_seed(seed);
            const torch::Device dev(device == "cuda" ? torch::kCUDA : torch::kCPU);
            clip::ClipModel model(config);
            model->to(dev);
            clip::ClipTrainStep trainer(model, clip::ClipTrainStepOptions().precision(clip::parsePrecision(precision)));

            const int64_t ctx = config.contextLength, vocab = config.vocabSize;
            const torch::Tensor pixels =
                torch::randn({batch, 3, config.imageResolution, config.imageResolution}, torch::dtype(torch::kFloat32))
                    .to(dev);
            // Start token, random words, end-of-text (the largest id) at L-1, zeros after.
            torch::Tensor tokens = torch::zeros({batch, ctx}, torch::kLong);
            tokens.select(1, 0).fill_(vocab - 2);
            if (textLen > 2)
                tokens.narrow(1, 1, textLen - 2)
                    .copy_(torch::randint(1, std::max<int64_t>(2, vocab - 2), {batch, textLen - 2}));
            tokens.select(1, textLen - 1).fill_(vocab - 1);
            tokens = tokens.to(dev);

            auto sync = [&] {
                if (dev.is_cuda())
                    torch::cuda::synchronize();
            };
            for (int i = 0; i < warmup; ++i)
                trainer.step(pixels, tokens);
            sync();
            const auto t0 = std::chrono::steady_clock::now();
            double loss = 0;
            for (int i = 0; i < steps; ++i)
                loss = trainer.step(pixels, tokens);
            sync();
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / steps;
            const double flops = clip::clipTrainStepFlops(config, batch, textLen); // the work done
            nlohmann::json out = {{"ms_per_step", ms},
                                  {"samples_per_s", batch * 1000.0 / ms},
                                  {"loss", loss},
                                  {"threads", at::get_num_threads()},
                                  {"device", device},
                                  {"precision", precision},
                                  {"model_gflop_per_step", flops / 1e9},
                                  {"achieved_gflops", flops / 1e9 / (ms / 1000.0)}};
            streams.out << out.dump() << "\n";
            return 0;
        } catch (const Error &e) {
            streams.err << "poisonlab-cli bench train-step: " << e.what() << "\n";
            return 2;
        }
    }
};

int BenchCommand::matmulPeak(const std::string &precision, int n, int threads, int repeats, CliStreams streams)
{
    at::set_num_threads(threads);
    const auto dtype = precision == "bf16" ? torch::kBFloat16 : torch::kFloat32;
    torch::manual_seed(0);
    const torch::Tensor a = torch::randn({n, n}).to(dtype), b = torch::randn({n, n}).to(dtype);
    torch::Tensor c = torch::mm(a, b); // warm-up: oneDNN picks and caches its kernel
    double best = 1e300;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        c = torch::mm(a, b);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    const double gflops = 2.0 * double(n) * n * n / best / 1e9;
    streams.out << nlohmann::json{{"precision", precision},
                                  {"size", n},
                                  {"threads", at::get_num_threads()},
                                  {"seconds", best},
                                  {"gflops", gflops}}
                       .dump()
                << "\n";
    return 0;
}

POISONLAB_REGISTER_CLI_COMMAND(BenchCommand)

} // namespace poisonlab::cli
