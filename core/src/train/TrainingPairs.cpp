#include "poisonlab/core/train/TrainingPairs.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/Dataset.h"

#include <torch/torch.h>

namespace poisonlab::train {

TrainingPairs makeTrainingPairs(const data::Dataset &dataset, const std::vector<int> &captions,
                                const TokenizeFn &tokenize, int contextLength)
{
    if (captions.empty())
        throw Error("the training set of dataset '" + dataset.name + "' is empty");
    if (!tokenize)
        throw Error("no tokenizer given for the training captions");
    TrainingPairs pairs;
    std::vector<std::string> texts;
    texts.reserve(captions.size());
    for (int c : captions) {
        if (c < 0 || std::size_t(c) >= dataset.captions.size())
            throw Error("caption index " + std::to_string(c) + " is outside dataset '" + dataset.name + "' (" +
                        std::to_string(dataset.captions.size()) + " captions)");
        const auto &rec = dataset.captions[std::size_t(c)];
        if (rec.image < 0 || std::size_t(rec.image) >= dataset.images.size())
            throw Error("caption " + std::to_string(c) + " of dataset '" + dataset.name + "' has no valid image");
        pairs.images.push_back(rec.image);
        pairs.captions.push_back(c);
        texts.push_back(rec.text);
    }
    std::vector<std::int64_t> ids = tokenize(texts, contextLength);
    if (ids.size() != texts.size() * std::size_t(contextLength))
        throw Error("the tokenizer returned " + std::to_string(ids.size()) + " ids for " +
                    std::to_string(texts.size()) + " captions of length " + std::to_string(contextLength));
    pairs.tokens = torch::from_blob(ids.data(), {std::int64_t(texts.size()), contextLength}, torch::kInt64).clone();
    return pairs;
}

} // namespace poisonlab::train
