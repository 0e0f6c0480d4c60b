#include "poisonlab/core/eval/Evaluator.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/MemoryBudget.h"
#include "poisonlab/core/clip/AutocastScope.h"
#include "poisonlab/core/clip/ClipPreprocess.h"
#include "poisonlab/core/distributed/DistributedGroup.h"
#include "poisonlab/core/train/ComputeDevices.h"

#include <torch/torch.h>

#include <map>
#include <numeric>
#include <set>

namespace poisonlab::eval {

nlohmann::json EvalOptions::toJson() const
{
    return {{"batchSize", batchSize},
            {"device", device},
            {"baselineSeed", baselineSeed},
            {"hitKs", hitKs},
            {"baselineExcludesSourceClass", baselineExcludesSourceClass},
            {"threads", threads},
            {"ties", tiesName(ties)},
            {"precision", precision}};
}

EvalOptions EvalOptions::fromJson(const nlohmann::json &json)
{
    if (!json.is_object())
        throw Error("evaluation options must be a JSON object, got " + json.dump());
    static const std::set<std::string> known = {
        "batchSize", "device", "baselineSeed", "hitKs", "threads", "baselineExcludesSourceClass", "ties", "precision"};
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!known.count(it.key()))
            throw Error("evaluation option '" + it.key() +
                        "' is unknown (known: batchSize, device, baselineSeed, hitKs, baselineExcludesSourceClass, "
                        "threads, ties, precision)");
    EvalOptions o;
    try {
        o.batchSize = json.value("batchSize", o.batchSize);
        o.device = json.value("device", o.device);
        o.baselineSeed = json.value("baselineSeed", o.baselineSeed);
        o.hitKs = json.value("hitKs", o.hitKs);
        o.baselineExcludesSourceClass = json.value("baselineExcludesSourceClass", o.baselineExcludesSourceClass);
        o.threads = json.value("threads", o.threads);
        o.precision = json.value("precision", o.precision);
        if (o.precision != "fp32" && o.precision != "bf16" && o.precision != "fp16")
            throw Error("evaluation option 'precision' is \"" + o.precision + "\"; it must be fp32, bf16 or fp16");
        if (json.contains("ties")) {
            const auto &v = json["ties"];
            const auto ties = v.is_string() ? parseTies(v.get<std::string>()) : std::nullopt;
            if (!ties)
                throw Error("evaluation option 'ties' is " + v.dump() + "; it must be " + kTiesChoices);
            o.ties = *ties;
        }
    } catch (const nlohmann::json::exception &e) {
        throw Error(std::string("evaluation options have a value of the wrong type: ") + e.what());
    }
    if (o.batchSize < 1)
        throw Error("evaluation option 'batchSize' must be at least 1");
    if (o.hitKs.empty())
        throw Error("evaluation option 'hitKs' must list at least one K");
    for (int k : o.hitKs)
        if (k < 1)
            throw Error("evaluation option 'hitKs' holds " + std::to_string(k) + "; every K must be at least 1");
    if (o.threads < 1)
        throw Error("evaluation option 'threads' must be at least 1");
    return o;
}

namespace {

/// Identifies a model's current weights: every parameter's and buffer's storage and version
/// counter (bumped by each in-place update, e.g. an optimizer step or a load).
std::vector<std::int64_t> fingerprint(clip::ClipModel &model)
{
    std::vector<std::int64_t> f{reinterpret_cast<std::intptr_t>(model.get())};
    for (const auto &p : model->parameters(true)) {
        f.push_back(reinterpret_cast<std::intptr_t>(p.unsafeGetTensorImpl()));
        f.push_back(reinterpret_cast<std::intptr_t>(p.data_ptr()));
        f.push_back(p._version());
    }
    for (const auto &b : model->buffers(true)) {
        f.push_back(reinterpret_cast<std::intptr_t>(b.data_ptr()));
        f.push_back(b._version());
    }
    return f;
}

/// Restores the model's training flag when evaluation ends.
struct EvalModeScope {
    explicit EvalModeScope(clip::ClipModel &m) : model(m), wasTraining(m->is_training()) { model->eval(); }
    ~EvalModeScope() { model->train(wasTraining); }
    clip::ClipModel &model;
    bool wasTraining;
};

torch::Tensor l2normalize(const torch::Tensor &x)
{
    namespace F = torch::nn::functional;
    return F::normalize(x.to(torch::kFloat32), F::NormalizeFuncOptions().dim(-1)).to(torch::kCPU).contiguous();
}

} // namespace

class Evaluator::Impl {
public:
    std::shared_ptr<const data::Dataset> dataset;
    data::Split split;
    std::shared_ptr<train::ImageSource> images;
    std::shared_ptr<distributed::DistributedGroup> group; // null: one process embeds everything
    train::TokenizeFn tokenize;
    EvalOptions options;

    std::vector<int> captionClass; // per dataset caption: class of its original image, -1 none
    std::vector<std::int64_t> cachedFingerprint;
    bool cached = false;
    SplitEmbeddings embeddings;
    torch::Tensor similarity;                                                     // captions x images of the split
    std::map<data::Split, std::pair<std::vector<int>, torch::Tensor>> queryCache; // other splits' captions

    std::string splitLabel() const
    {
        return split == data::Split::None ? std::string("\"all\" split")
                                          : std::string(data::splitName(split)) + " split";
    }

    std::vector<int> captionsOf(data::Split s) const
    {
        std::vector<int> out;
        for (std::size_t c = 0; c < dataset->captions.size(); ++c) {
            // A poisoned caption keeps its original image's split: Attack I may move training
            // captions onto a test image, and they must not become test queries.
            const auto &rec = dataset->captions[c];
            const int img = rec.poisoned && rec.originalImage >= 0 ? rec.originalImage : rec.image;
            // Split::None is the config's "all": every captioned image.
            if (img >= 0 && std::size_t(img) < dataset->images.size() &&
                (s == data::Split::None || dataset->images[std::size_t(img)].split == s))
                out.push_back(int(c));
        }
        return out;
    }

    torch::Tensor embedTexts(clip::ClipModel &model, const std::vector<int> &captionIds, ProgressReporter &progress,
                             long long &done, long long total)
    {
        const int L = model->config().contextLength;
        const auto device = model->parameters().front().device();
        std::vector<torch::Tensor> parts;
        for (std::size_t b = 0; b < captionIds.size(); b += std::size_t(options.batchSize)) {
            progress.throwIfCancelled();
            const std::size_t e = std::min(captionIds.size(), b + std::size_t(options.batchSize));
            std::vector<std::string> texts;
            for (std::size_t i = b; i < e; ++i)
                texts.push_back(dataset->captions[std::size_t(captionIds[i])].text);
            std::vector<std::int64_t> ids = tokenize(texts, L);
            if (ids.size() != texts.size() * std::size_t(L))
                throw Error("the tokenizer returned " + std::to_string(ids.size()) + " ids for " +
                            std::to_string(texts.size()) + " captions of length " + std::to_string(L));
            auto tokens = torch::from_blob(ids.data(), {std::int64_t(texts.size()), L}, torch::kInt64).to(device);
            parts.push_back(l2normalize(encode(device.type(), [&] { return model->encodeText(tokens); })));
            progress.report({"evaluate", ++done, total, "embedding captions", {}});
        }
        return catRows(parts, model);
    }

    /// A tower's forward pass in the evaluation's precision; float32 features either way.
    template <typename Forward>
    torch::Tensor encode(c10::DeviceType device, Forward &&forward) const
    {
        const bool amp = options.precision != "fp32";
        clip::AutocastScope autocast(amp, device, options.precision == "fp16" ? at::kHalf : at::kBFloat16);
        return forward().to(torch::kFloat32);
    }

    /// This rank's contiguous part of `ids` in a data-parallel run; all of them otherwise.
    std::vector<int> shardOf(const std::vector<int> &ids) const
    {
        if (!group)
            return ids;
        const auto [begin, end] = distributed::shardOf(std::int64_t(ids.size()), group->rank(), group->size());
        return std::vector<int>(ids.begin() + begin, ids.begin() + end);
    }

    /// Every rank's embeddings of its shard, in the order of the `count` ids they were cut from.
    torch::Tensor gatherShards(const torch::Tensor &local, std::size_t count) const
    {
        if (!group)
            return local;
        return group->allGatherRows(local.contiguous(), distributed::shardSizes(std::int64_t(count), group->size()));
    }

    /// The batches' rows stacked; [0, D] for none (a rank whose shard is empty).
    static torch::Tensor catRows(const std::vector<torch::Tensor> &parts, clip::ClipModel &model)
    {
        if (!parts.empty())
            return torch::cat(parts);
        return torch::zeros({0, model->config().embedDim},
                            torch::TensorOptions().device(model->parameters().front().device()));
    }

    /// Fails before the forward passes when the embeddings and the captions x images similarity
    /// matrix cannot fit: an hour of embedding must not end in the kernel killing the process.
    void requireMemoryFor(clip::ClipModel &model, const SplitEmbeddings &e) const
    {
        const std::uint64_t images = e.imageIds.size(), captions = e.captionIds.size();
        const std::uint64_t dim = std::uint64_t(std::max(1, model->config().embedDim));
        const std::uint64_t bytes = sizeof(float) * (captions * images + dim * (images + captions));
        requireMemory(bytes, "evaluating the " + splitLabel() + " of dataset '" + dataset->name + "'",
                      std::to_string(captions) + " captions x " + std::to_string(images) +
                          " images similarity matrix in float32, and their " + std::to_string(dim) +
                          "-dimensional embeddings",
                      "evaluate a smaller gallery (evaluation.split, e.g. \"test\", or a dataset of fewer images) or "
                      "on a machine with more memory");
    }

    void ensureEmbeddings(clip::ClipModel &model, ProgressReporter &progress)
    {
        auto f = fingerprint(model);
        if (cached && f == cachedFingerprint)
            return;
        cached = false;
        queryCache.clear();
        SplitEmbeddings e;
        e.captionIds = captionsOf(split);
        std::map<int, int> column;
        for (int c : e.captionIds) {
            const int img = dataset->captions[std::size_t(c)].image;
            if (column.emplace(img, 0).second)
                e.imageIds.push_back(img);
        }
        if (e.imageIds.empty())
            throw Error("the " + splitLabel() + " of dataset '" + dataset->name +
                        "' has no captioned images to evaluate on");
        std::sort(e.imageIds.begin(), e.imageIds.end());
        for (std::size_t i = 0; i < e.imageIds.size(); ++i)
            column[e.imageIds[i]] = int(i);
        for (int c : e.captionIds)
            e.captionColumn.push_back(column[dataset->captions[std::size_t(c)].image]);
        requireMemoryFor(model, e);

        torch::NoGradGuard noGrad;
        EvalModeScope evalMode(model);
        const auto device = model->parameters().front().device();
        const long long bs = options.batchSize;
        const std::vector<int> imageShard = shardOf(e.imageIds), captionShard = shardOf(e.captionIds);
        const long long total = (static_cast<long long>(imageShard.size()) + bs - 1) / bs +
                                (static_cast<long long>(captionShard.size()) + bs - 1) / bs;
        long long done = 0;
        std::vector<torch::Tensor> parts;
        for (std::size_t b = 0; b < imageShard.size(); b += std::size_t(bs)) {
            progress.throwIfCancelled();
            std::vector<int> ids(imageShard.begin() + std::ptrdiff_t(b),
                                 imageShard.begin() + std::ptrdiff_t(std::min(imageShard.size(), b + std::size_t(bs))));
            auto pixels = clip::normalizeBatch(images->load(ids)).to(device);
            parts.push_back(l2normalize(encode(device.type(), [&] { return model->encodeImage(pixels); })));
            progress.report({"evaluate", ++done, total, "embedding images", {}});
        }
        e.images = gatherShards(catRows(parts, model), e.imageIds.size());
        e.captions = gatherShards(embedTexts(model, captionShard, progress, done, total), e.captionIds.size());
        similarity = e.captions.matmul(e.images.t()).contiguous();
        embeddings = std::move(e);
        cachedFingerprint = std::move(f);
        cached = true;
    }

    const std::pair<std::vector<int>, torch::Tensor> &queryEmbeddings(clip::ClipModel &model, data::Split s,
                                                                      ProgressReporter &progress)
    {
        auto it = queryCache.find(s);
        if (it != queryCache.end())
            return it->second;
        std::vector<int> ids = captionsOf(s);
        torch::NoGradGuard noGrad;
        EvalModeScope evalMode(model);
        long long done = 0;
        const std::vector<int> shard = shardOf(ids);
        const long long total = (static_cast<long long>(shard.size()) + options.batchSize - 1) / options.batchSize;
        torch::Tensor emb =
            ids.empty() ? torch::Tensor() : gatherShards(embedTexts(model, shard, progress, done, total), ids.size());
        return queryCache.emplace(s, std::make_pair(std::move(ids), emb)).first->second;
    }

    int classOrThrow(const std::string &name) const
    {
        const int k = dataset->classIndex(name);
        if (k < 0) {
            std::string known;
            for (const auto &c : dataset->classes)
                known += (known.empty() ? "" : ", ") + c;
            throw Error("class '" + name + "' is not a class of dataset '" + dataset->name + "' (classes: " + known +
                        ")");
        }
        return k;
    }

    int classOfCaption(int c) const
    {
        const auto &rec = dataset->captions[std::size_t(c)];
        const int img = rec.poisoned && rec.originalImage >= 0 ? rec.originalImage : rec.image;
        return img >= 0 && std::size_t(img) < dataset->images.size() ? dataset->images[std::size_t(img)].label : -1;
    }
};

Evaluator::Evaluator(std::shared_ptr<const data::Dataset> dataset, data::Split split,
                     std::shared_ptr<train::ImageSource> images, train::TokenizeFn tokenize, EvalOptions options)
    : d(std::make_unique<Impl>())
{
    if (!dataset)
        throw Error("the evaluator needs a dataset");
    if (!images)
        throw Error("the evaluator needs an image source");
    if (!tokenize)
        throw Error("the evaluator needs a tokenizer");
    d->dataset = std::move(dataset);
    d->split = split;
    d->images = std::move(images);
    d->tokenize = std::move(tokenize);
    if (auto problem = train::precisionProblem(options.precision, options.device, train::cpuFlags(),
                                               "evaluation.options.precision"))
        throw Error(*problem);
    d->options = std::move(options);
}

Evaluator::~Evaluator() = default;

const EvalOptions &Evaluator::options() const
{
    return d->options;
}

const data::Dataset &Evaluator::dataset() const
{
    return *d->dataset;
}

data::Split Evaluator::split() const
{
    return d->split;
}

int Evaluator::captionClass(int datasetCaption) const
{
    if (datasetCaption < 0 || std::size_t(datasetCaption) >= d->dataset->captions.size())
        throw Error("caption " + std::to_string(datasetCaption) + " is not a caption of dataset '" + d->dataset->name +
                    "'");
    return d->classOfCaption(datasetCaption);
}

void Evaluator::clearCache()
{
    d->cached = false;
    d->queryCache.clear();
}

void Evaluator::setProcessGroup(std::shared_ptr<distributed::DistributedGroup> group)
{
    d->group = group && group->size() > 1 ? std::move(group) : nullptr;
    clearCache();
}

const SplitEmbeddings &Evaluator::embed(clip::ClipModel &model, ProgressReporter &progress)
{
    d->ensureEmbeddings(model, progress);
    return d->embeddings;
}

torch::Tensor Evaluator::similarity(clip::ClipModel &model, ProgressReporter &progress)
{
    d->ensureEmbeddings(model, progress);
    return d->similarity;
}

RetrievalMetrics Evaluator::utility(clip::ClipModel &model, ProgressReporter &progress)
{
    d->ensureEmbeddings(model, progress);
    const auto &s = d->similarity;
    SimilarityView view{s.data_ptr<float>(), s.size(0), s.size(1)};
    return computeRetrievalMetrics(view, d->embeddings.captionColumn, d->options.threads, d->options.ties);
}

ResolvedGoal Evaluator::resolve(clip::ClipModel &model, const GoalSpec &goal, ProgressReporter &progress)
{
    d->ensureEmbeddings(model, progress);
    const auto &e = d->embeddings;
    const auto &ds = *d->dataset;
    ResolvedGoal g;
    g.sourceClass = d->classOrThrow(goal.sourceClass);
    g.name = goal.name;

    // Targets: one image (Attack I) or every gallery image of the target classes (II/III).
    if (goal.targetImage >= 0) {
        if (std::size_t(goal.targetImage) >= ds.images.size())
            throw Error("target image " + std::to_string(goal.targetImage) + " is not an image of dataset '" + ds.name +
                        "' (" + std::to_string(ds.images.size()) + " images)");
        auto it = std::find(e.imageIds.begin(), e.imageIds.end(), goal.targetImage);
        if (it == e.imageIds.end())
            throw Error("target image " + std::to_string(goal.targetImage) + " (" +
                        ds.images[std::size_t(goal.targetImage)].path + ") is not in the " + d->splitLabel() +
                        " gallery");
        g.targetImageColumn = int(it - e.imageIds.begin());
        g.targetColumns.push_back(g.targetImageColumn);
        if (g.name.empty())
            g.name = goal.sourceClass + "->" + ds.images[std::size_t(goal.targetImage)].path;
    } else {
        if (goal.targetClasses.empty())
            throw Error("attack goal '" + goal.sourceClass + "->?' names neither a target image nor a target class");
        std::set<int> wanted;
        for (const auto &t : goal.targetClasses) {
            const int k = d->classOrThrow(t);
            const auto before = g.targetColumns.size();
            for (std::size_t i = 0; i < e.imageIds.size(); ++i)
                if (ds.images[std::size_t(e.imageIds[i])].label == k && !wanted.count(int(i))) {
                    g.targetColumns.push_back(int(i));
                    wanted.insert(int(i));
                }
            if (g.targetColumns.size() == before)
                throw Error("target class '" + t + "' has no images in the " + d->splitLabel() +
                            " gallery of dataset '" + ds.name + "'");
        }
        if (g.name.empty()) {
            g.name = goal.sourceClass + "->";
            for (std::size_t i = 0; i < goal.targetClasses.size(); ++i)
                g.name += (i ? "+" : "") + goal.targetClasses[i];
        }
    }

    for (std::size_t r = 0; r < e.captionIds.size(); ++r) {
        const bool ofSource = d->classOfCaption(e.captionIds[r]) == g.sourceClass;
        if (ofSource)
            g.queryRows.push_back(int(r));
        if (!ofSource || !d->options.baselineExcludesSourceClass)
            g.baselineCandidates.push_back(int(r));
    }
    g.querySplit = goal.querySplit == data::Split::None ? d->split : goal.querySplit;
    if (g.querySplit != d->split) {
        // Queries from another split (e.g. the poisoned training captions) against this gallery.
        const std::vector<int> ids = d->captionsOf(g.querySplit);
        g.queryRows.clear();
        for (std::size_t r = 0; r < ids.size(); ++r)
            if (d->classOfCaption(ids[r]) == g.sourceClass)
                g.queryRows.push_back(int(r));
    }
    if (g.queryRows.empty())
        throw Error("class '" + goal.sourceClass + "' has no captions in the " +
                    std::string(data::splitName(g.querySplit)) + " split of dataset '" + ds.name + "'");
    try {
        g.baselineRows = sampleBaselineRows(g.baselineCandidates, g.queryRows.size(), d->options.baselineSeed);
    } catch (const Error &err) {
        throw Error("attack goal '" + g.name + "': " + err.what());
    }
    return g;
}

AttackResult Evaluator::attack(clip::ClipModel &model, const GoalSpec &goal, ProgressReporter &progress)
{
    const ResolvedGoal g = resolve(model, goal, progress);
    const auto &e = d->embeddings;
    const auto &s = d->similarity;
    SimilarityView gallery{s.data_ptr<float>(), s.size(0), s.size(1)};
    AttackResult result;
    result.name = g.name;
    if (g.querySplit == d->split) {
        result.attack =
            summarizeMinRanks(rankQueries(gallery, g.queryRows, g.targetColumns, d->options.ties), d->options.hitKs);
    } else {
        const auto &[ids, emb] = d->queryEmbeddings(model, g.querySplit, progress);
        std::vector<int64_t> rows(g.queryRows.begin(), g.queryRows.end());
        torch::Tensor q = emb.index_select(0, torch::tensor(rows, torch::kInt64)).matmul(e.images.t()).contiguous();
        SimilarityView qv{q.data_ptr<float>(), q.size(0), q.size(1)};
        std::vector<int> all(rows.size());
        std::iota(all.begin(), all.end(), 0);
        result.attack = summarizeMinRanks(rankQueries(qv, all, g.targetColumns, d->options.ties), d->options.hitKs);
    }
    result.baselineRows = g.baselineRows;
    result.baseline =
        summarizeMinRanks(rankQueries(gallery, g.baselineRows, g.targetColumns, d->options.ties), d->options.hitKs);
    return result;
}

EvaluationResult Evaluator::evaluate(clip::ClipModel &model, const std::vector<GoalSpec> &goals,
                                     ProgressReporter &progress)
{
    d->ensureEmbeddings(model, progress);
    EvaluationResult out;
    out.split = std::string(data::splitName(d->split));
    out.ties = d->options.ties;
    out.galleryImages = std::int64_t(d->embeddings.imageIds.size());
    out.captions = std::int64_t(d->embeddings.captionIds.size());
    out.utility = UtilityFigures::from(utility(model, progress));
    for (const auto &goal : goals) {
        const AttackResult r = attack(model, goal, progress);
        AttackFigures a;
        a.name = r.name;
        a.attack = RankFigures::from(r.attack);
        a.baseline = RankFigures::from(r.baseline);
        a.sourceClass = goal.sourceClass;
        a.targetClasses = goal.targetClasses;
        if (goal.targetImage >= 0)
            a.targetImage = goal.targetImage;
        a.querySplit = std::string(data::splitName(goal.querySplit == data::Split::None ? d->split : goal.querySplit));
        out.attacks.push_back(std::move(a));
    }
    return out;
}

} // namespace poisonlab::eval
