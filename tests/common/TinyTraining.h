#pragma once
// A tiny CLIP (ViT, 2+2 layers, width 64, 32 px, context 8) with patterned images and token rows
// for Trainer-level tests that need a few real steps in well under a second (header-only).
#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/train/ImageSource.h"
#include "poisonlab/core/train/TrainOptions.h"
#include "poisonlab/core/train/TrainingPairs.h"

#include <torch/torch.h>

namespace poisonlab::test {

constexpr int kTinyVocab = 64;
constexpr int kTinyContext = 8;

inline clip::ClipModel tinyTrainingModel()
{
    clip::ClipConfig c;
    c.embedDim = 32;
    c.imageResolution = 32;
    c.visionLayers = {2};
    c.visionWidth = 64;
    c.visionPatchSize = 8;
    c.contextLength = kTinyContext;
    c.vocabSize = kTinyVocab;
    c.transformerWidth = 64;
    c.transformerHeads = 2;
    c.transformerLayers = 2;
    torch::manual_seed(3);
    return clip::ClipModel(c);
}

/// Image i: a colour channel by i % 4 over a stripe pattern by i.
class PatternImages final : public train::ImageSource {
public:
    torch::Tensor load(const std::vector<int> &images) override
    {
        auto out = torch::empty({std::int64_t(images.size()), 32, 32, 3}, torch::kUInt8);
        auto a = out.accessor<std::uint8_t, 4>();
        for (size_t b = 0; b < images.size(); ++b)
            for (int y = 0; y < 32; ++y)
                for (int x = 0; x < 32; ++x)
                    for (int ch = 0; ch < 3; ++ch)
                        a[long(b)][y][x][ch] =
                            std::uint8_t((images[b] % 4 == ch ? 170 : 40) + (x * 7 + y * images[b]) % 29);
        return out;
    }
    int resolution() const override { return 32; }
};

/// Pair i shows image i with a caption of 4 tokens that depend on i % 4 and i % 7.
inline train::TrainingPairs tinyTrainingPairs(int n)
{
    train::TrainingPairs p;
    p.tokens = torch::zeros({n, kTinyContext}, torch::kInt64);
    for (int i = 0; i < n; ++i) {
        p.images.push_back(i);
        p.tokens[i][0] = kTinyVocab - 2;
        p.tokens[i][1] = 1 + i % 4;
        p.tokens[i][2] = 10 + i % 7;
        p.tokens[i][3] = kTinyVocab - 1;
    }
    return p;
}

/// 4 epochs of 4 steps (32 pairs, batch 8), lr 5e-4, seed 5.
inline train::TrainOptions tinyTrainingOptions()
{
    train::TrainOptions o;
    o.epochs = 4;
    o.batchSize = 8;
    o.learningRate = 5e-4;
    o.warmupSteps = 2;
    o.seed = 5;
    return o;
}

} // namespace poisonlab::test
