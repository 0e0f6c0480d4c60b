// poisonlab-cli embed: projected, un-normalised CLIP features of images and texts as JSON.
#include "CliParsing.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipPreprocess.h"
#include "poisonlab/core/clip/ClipWeights.h"
#include "poisonlab/core/clip/Tokenizer.h"

#include <nlohmann/json.hpp>
#include <torch/cuda.h>

namespace poisonlab::cli {
namespace {

nlohmann::json rows(const torch::Tensor &t)
{
    nlohmann::json out = nlohmann::json::array();
    const torch::Tensor c = t.to(torch::kCPU, torch::kFloat32).contiguous();
    for (int64_t i = 0; i < c.size(0); ++i) {
        const float *p = c[i].data_ptr<float>();
        out.push_back(std::vector<float>(p, p + c.size(1)));
    }
    return out;
}

} // namespace

class EmbedCommand : public CliCommand {
public:
    std::string name() const override { return "embed"; }
    std::string summary() const override
    {
        return "CLIP image and text embeddings (projected, un-normalised) of a model as JSON";
    }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app{"Prints {\"image_embeddings\": [[...]], \"text_embeddings\": [[...]], \"logit_scale\": x}: "
                     "the projected, un-normalised features and the exponentiated logit scale.",
                     "embed"};
        std::string model, vocab, device = "cpu";
        std::vector<std::string> images, texts;
        app.add_option("--model", model,
                       "OpenAI TorchScript .pt, .safetensors (OpenAI/open_clip names, optional .json sidecar) "
                       "or a Hugging Face CLIPModel folder")
            ->required();
        app.add_option("--vocab", vocab,
                       "tokenizer: OpenAI's bpe_simple_vocab_16e6.txt.gz, a vocab.json or a "
                       "folder with vocab.json + merges.txt (default: the model's own)");
        app.add_option("--image", images, "image file (repeatable)");
        app.add_option("--text", texts, "caption (repeatable)");
        app.add_option("--device", device, "cpu or cuda")->check(CLI::IsMember({"cpu", "cuda"}));
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;
        if (images.empty() && texts.empty()) {
            streams.err << "poisonlab-cli embed: give at least one --image or --text\n";
            return 2;
        }
        if (device == "cuda" && !torch::cuda::is_available()) {
            streams.err << "poisonlab-cli embed: --device cuda: no CUDA device is available to this build\n";
            return 2;
        }
        try {
            std::optional<std::filesystem::path> vocabPath;
            if (!vocab.empty())
                vocabPath = vocab;
            clip::LoadedClip loaded = clip::loadClip(model, vocabPath);
            if (!texts.empty() && !loaded.tokenizer)
                throw Error(model, "has no tokenizer beside it; pass --vocab (e.g. OpenAI's "
                                   "bpe_simple_vocab_16e6.txt.gz or a vocab.json + merges.txt folder)");
            const torch::Device dev(device == "cuda" ? torch::kCUDA : torch::kCPU);
            clip::ClipModel net = loaded.model;
            net->to(dev);
            net->eval();
            torch::NoGradGuard noGrad;
            nlohmann::json out;
            out["image_embeddings"] = nlohmann::json::array();
            out["text_embeddings"] = nlohmann::json::array();
            if (!images.empty()) {
                std::vector<torch::Tensor> pixels;
                for (const auto &file : images)
                    pixels.push_back(clip::normalizeToTensor(
                        clip::resizeAndCenterCrop(clip::readRgbImage(file), loaded.config.imageResolution)));
                out["image_embeddings"] = rows(net->encodeImage(torch::stack(pixels).to(dev)));
            }
            if (!texts.empty()) {
                const int ctx = loaded.config.contextLength;
                std::vector<int64_t> ids = loaded.tokenizer->tokenizeBatch(texts, ctx);
                const torch::Tensor tokens =
                    torch::from_blob(ids.data(), {static_cast<int64_t>(texts.size()), ctx}, torch::kLong).clone();
                out["text_embeddings"] = rows(net->encodeText(tokens.to(dev)));
            }
            out["logit_scale"] = net->logitScale().exp().item<double>();
            streams.out << out.dump() << "\n";
            return 0;
        } catch (const Error &e) {
            streams.err << "poisonlab-cli embed: " << e.what() << "\n";
            return 2;
        }
    }
};

POISONLAB_REGISTER_CLI_COMMAND(EmbedCommand)

} // namespace poisonlab::cli
