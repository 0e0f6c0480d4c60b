#include "ModelEmbedding.h"

#include "poisonlab/core/clip/ClipPreprocess.h"
#include "poisonlab/core/train/DatasetImageSource.h"

#include <torch/torch.h>

namespace poisonlab::experiment {

namespace {

plugin::Embeddings rows(const torch::Tensor &features)
{
    const torch::Tensor f = features.to(torch::kFloat32).contiguous().cpu();
    plugin::Embeddings out(static_cast<size_t>(f.size(0)));
    const float *p = f.data_ptr<float>();
    const int64_t d = f.size(1);
    for (int64_t i = 0; i < f.size(0); ++i)
        out[i].assign(p + i * d, p + (i + 1) * d);
    return out;
}

} // namespace

plugin::EmbedTextsFn textEmbedder(clip::ClipModel model, std::shared_ptr<clip::Tokenizer> tokenizer,
                                  ProgressReporter *progress)
{
    return [model, tokenizer, progress](const std::vector<std::string> &texts) mutable {
        torch::NoGradGuard noGrad;
        model->eval();
        const int L = model->config().contextLength;
        plugin::Embeddings out;
        for (size_t start = 0; start < texts.size(); start += 256) {
            if (progress)
                progress->throwIfCancelled();
            std::vector<std::string> batch(texts.begin() + start, texts.begin() + std::min(texts.size(), start + 256));
            std::vector<int64_t> ids = tokenizer->tokenizeBatch(batch, L);
            torch::Tensor t = torch::from_blob(ids.data(), {int64_t(batch.size()), L}, torch::kInt64).clone();
            auto part = rows(model->encodeText(t));
            out.insert(out.end(), part.begin(), part.end());
        }
        return out;
    };
}

plugin::EmbedImagesFn imageEmbedder(clip::ClipModel model, ProgressReporter *progress)
{
    return [model, progress](const data::Dataset &ds, const std::vector<int> &images) mutable {
        torch::NoGradGuard noGrad;
        model->eval();
        // The dataset outlives this synchronous call: a non-owning pointer is enough.
        std::shared_ptr<const data::Dataset> view(std::shared_ptr<void>(), &ds);
        train::DatasetImageSource source(view, model->config().imageResolution, 0);
        plugin::Embeddings out;
        for (size_t start = 0; start < images.size(); start += 64) {
            if (progress)
                progress->throwIfCancelled();
            std::vector<int> batch(images.begin() + start, images.begin() + std::min(images.size(), start + 64));
            auto part = rows(model->encodeImage(clip::normalizeBatch(source.load(batch))));
            out.insert(out.end(), part.begin(), part.end());
        }
        return out;
    };
}

} // namespace poisonlab::experiment
