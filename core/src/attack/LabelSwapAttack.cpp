#include "poisonlab/core/attack/LabelSwapAttack.h"
#include "poisonlab/core/JsonValue.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/attack/PoisonSampling.h"

#include <algorithm>
#include <set>

namespace poisonlab::attack {

using nlohmann::json;

namespace {

const std::vector<std::string> kCommonKeys = {"goals", "source", "target", "rate", "seed", "unit", "split"};

[[noreturn]] void fail(const std::string &attackId, const std::string &problem)
{
    throw Error(attackId + ": " + problem);
}

std::string requireClassName(const json &value, const std::string &attackId, const std::string &key)
{
    if (!value.is_string() || value.get<std::string>().empty())
        fail(attackId, "option \"" + key + "\" must be a non-empty class name");
    return value.get<std::string>();
}

bool inSplit(const data::ImageRecord &image, const std::string &split)
{
    return split == "all" || data::splitName(image.split) == split;
}

std::string knownClasses(const data::Dataset &dataset)
{
    std::string out;
    for (size_t i = 0; i < dataset.classes.size() && i < 25; ++i)
        out += (i ? ", " : "") + dataset.classes[i];
    if (dataset.classes.size() > 25)
        out += ", ...";
    return out.empty() ? "(the dataset has no classes)" : out;
}

} // namespace

namespace {

// Refuses a key that is neither common nor one of the plugin's own; keeps the plugin's own keys.
void readOptionKeys(const json &options, const std::string &attackId, bool multiGoal,
                    const std::vector<std::string> &extraKeys, LabelSwapOptions &out)
{
    for (const auto &[key, value] : options.items()) {
        const bool common = std::find(kCommonKeys.begin(), kCommonKeys.end(), key) != kCommonKeys.end();
        const bool extra = std::find(extraKeys.begin(), extraKeys.end(), key) != extraKeys.end();
        if (!common && !extra) {
            std::string allowed;
            for (const auto &k : kCommonKeys)
                if (multiGoal ? (k != "source" && k != "target") : k != "goals")
                    allowed += (allowed.empty() ? "" : ", ") + k;
            for (const auto &k : extraKeys)
                allowed += ", " + k;
            fail(attackId, "unknown option \"" + key + "\" (known: " + allowed + ")");
        }
        if (extra)
            out.extra[key] = value;
    }
}

// "goals": [{"source": A, "target": B}, ...] (multiGoal), or one "source" and "target".
void readGoals(const json &options, const std::string &attackId, bool multiGoal, LabelSwapOptions &out)
{
    if (!multiGoal) {
        if (options.contains("goals"))
            fail(attackId, "has one goal: give \"source\" and \"target\" (use attack-multi-target-label for several)");
        if (!options.contains("source") || !options.contains("target"))
            fail(attackId, "needs options \"source\" (class A, whose captions are poisoned) and \"target\" (class B)");
        out.goals.push_back({requireClassName(options["source"], attackId, "source"),
                             requireClassName(options["target"], attackId, "target")});
        return;
    }
    if (options.contains("source") || options.contains("target"))
        fail(attackId, "takes a \"goals\" list ([{\"source\": A, \"target\": B}, ...]), not \"source\"/\"target\"");
    if (!options.contains("goals") || !options["goals"].is_array() || options["goals"].empty())
        fail(attackId, "option \"goals\" must be a non-empty list of {\"source\": A, \"target\": B}");
    for (size_t i = 0; i < options["goals"].size(); ++i) {
        const json &g = options["goals"][i];
        const std::string where = "goals[" + std::to_string(i) + "]";
        if (!g.is_object())
            fail(attackId, "option \"" + where + "\" must be an object {\"source\": A, \"target\": B}");
        for (const auto &[key, value] : g.items())
            if (key != "source" && key != "target")
                fail(attackId, "unknown option \"" + where + "." + key + "\" (known: source, target)");
        if (!g.contains("source") || !g.contains("target"))
            fail(attackId, "option \"" + where + "\" needs both \"source\" and \"target\"");
        out.goals.push_back({requireClassName(g["source"], attackId, where + ".source"),
                             requireClassName(g["target"], attackId, where + ".target")});
    }
}

} // namespace

LabelSwapOptions parseLabelSwapOptions(const json &options, const std::string &attackId, bool multiGoal,
                                       const std::vector<std::string> &extraKeys)
{
    if (!options.is_object())
        fail(attackId, "options must be a JSON object");
    LabelSwapOptions out;
    readOptionKeys(options, attackId, multiGoal, extraKeys, out);
    readGoals(options, attackId, multiGoal, out);

    if (!options.contains("rate") || !options["rate"].is_number())
        fail(attackId, "option \"rate\" (the fraction of class-A pairs to poison, in (0, 1]) is required");
    out.rate = options["rate"].get<double>();
    try {
        checkPoisonRate(out.rate, "option \"rate\"");
    } catch (const Error &e) {
        fail(attackId, e.what());
    }
    if (options.contains("seed")) {
        if (!isNonNegativeInteger(options["seed"]))
            fail(attackId, "option \"seed\" must be a non-negative integer");
        out.seed = options["seed"].get<std::uint64_t>();
    }
    if (options.contains("unit")) {
        const json &u = options["unit"];
        if (u == "caption")
            out.unit = PoisonUnit::Caption;
        else if (u == "image")
            out.unit = PoisonUnit::Image;
        else
            fail(attackId, "option \"unit\" must be \"caption\" or \"image\", got " + u.dump());
    }
    if (options.contains("split")) {
        const json &s = options["split"];
        if (!s.is_string() || (s != "all" && !data::parseSplit(s.get<std::string>())))
            fail(attackId, "option \"split\" must be \"train\", \"val\", \"test\" or \"all\", got " + s.dump());
        out.split = s == "all" ? "all" : std::string(data::splitName(*data::parseSplit(s.get<std::string>())));
    }
    return out;
}

std::vector<int> imagesOfClass(const data::Dataset &dataset, int classIndex, const std::string &split)
{
    std::vector<int> out;
    for (size_t i = 0; i < dataset.images.size(); ++i)
        if (dataset.images[i].label == classIndex && inSplit(dataset.images[i], split))
            out.push_back(static_cast<int>(i));
    return out;
}

int findImage(const data::Dataset &dataset, const json &ref, const std::string &attackId)
{
    if (ref.is_number_integer()) {
        const long long i = ref.get<long long>();
        if (i < 0 || i >= static_cast<long long>(dataset.images.size()))
            fail(attackId, "target image index " + std::to_string(i) + " is outside the dataset's " +
                               std::to_string(dataset.images.size()) + " images");
        return static_cast<int>(i);
    }
    if (!ref.is_string())
        fail(attackId, "a target image is given by its path, source id or index, got " + ref.dump());
    const std::string key = ref.get<std::string>();
    for (size_t i = 0; i < dataset.images.size(); ++i)
        if (dataset.images[i].path == key)
            return static_cast<int>(i);
    for (size_t i = 0; i < dataset.images.size(); ++i)
        if (dataset.images[i].sourceId == key)
            return static_cast<int>(i);
    fail(attackId, "target image \"" + key + "\" is not in the dataset (give its path relative to the root or its id)");
}

namespace {

/// One goal, checked against the dataset: its class-A units (what the rate samples from) and
/// the class-B images of the training split its units may move to.
struct GoalPlan {
    std::vector<PoisonUnitGroup> eligible;
    std::vector<int> targets;
};

// The split forming D: the one asked for, or "all" when the dataset carries no splits at all.
std::string trainingSplit(const data::Dataset &dataset, const std::string &asked)
{
    const bool anySplit = std::any_of(dataset.images.begin(), dataset.images.end(),
                                      [](const data::ImageRecord &r) { return r.split != data::Split::None; });
    return anySplit ? asked : "all";
}

long long countTrainingPairs(const data::Dataset &dataset, const std::string &split)
{
    std::vector<char> inTraining(dataset.images.size(), 0);
    for (size_t i = 0; i < dataset.images.size(); ++i)
        inTraining[i] = inSplit(dataset.images[i], split);
    long long trainingPairs = 0;
    for (const auto &c : dataset.captions)
        if (c.image >= 0 && static_cast<size_t>(c.image) < dataset.images.size() && inTraining[c.image])
            ++trainingPairs;
    return trainingPairs;
}

// Fills the goal's class indices; refuses unknown classes, A == B and a class that is already
// the source of an earlier goal (`sources`).
void resolveGoalClasses(const data::Dataset &dataset, AttackGoal &goal, const std::string &attackId,
                        std::set<int> &sources)
{
    goal.sourceClass = dataset.classIndex(goal.source);
    goal.targetClass = dataset.classIndex(goal.target);
    if (goal.sourceClass < 0)
        fail(attackId, "unknown class \"" + goal.source + "\" (known: " + knownClasses(dataset) + ")");
    if (goal.targetClass < 0)
        fail(attackId, "unknown class \"" + goal.target + "\" (known: " + knownClasses(dataset) + ")");
    if (goal.sourceClass == goal.targetClass)
        fail(attackId, "goal " + goal.source + " -> " + goal.target + " has the same source and target class");
    if (!sources.insert(goal.sourceClass).second)
        fail(attackId, "class \"" + goal.source + "\" is the source of more than one goal");
}

// The not yet poisoned captions of `images`, one unit per caption or per image.
std::vector<PoisonUnitGroup> eligibleUnits(const data::Dataset &dataset, const std::vector<int> &images,
                                           const std::vector<std::vector<int>> &byImage, PoisonUnit unit)
{
    std::vector<PoisonUnitGroup> eligible;
    for (int img : images) {
        std::vector<int> caps;
        for (int c : byImage[img])
            if (!dataset.captions[c].poisoned)
                caps.push_back(c);
        if (caps.empty())
            continue;
        if (unit == PoisonUnit::Image)
            eligible.push_back({img, caps});
        else
            for (int c : caps)
                eligible.push_back({img, {c}});
    }
    return eligible;
}

GoalPlan planGoal(const data::Dataset &dataset, const AttackGoal &goal, const LabelSwapOptions &options,
                  const std::string &attackId, const std::string &split, const std::vector<std::vector<int>> &byImage)
{
    GoalPlan plan;
    const auto sourceImages = imagesOfClass(dataset, goal.sourceClass, split);
    if (sourceImages.empty())
        fail(attackId, "class \"" + goal.source + "\" has no images in the " + split + " split");
    plan.eligible = eligibleUnits(dataset, sourceImages, byImage, options.unit);
    if (plan.eligible.empty())
        fail(attackId, "class \"" + goal.source + "\" has images but no captions in the " + split + " split");
    plan.targets = imagesOfClass(dataset, goal.targetClass, split);
    if (plan.targets.empty())
        fail(attackId, "class \"" + goal.target + "\" has no images in the " + split + " split");
    if (poisonCount(options.rate, static_cast<long long>(plan.eligible.size())) < 1)
        fail(attackId, "rate " + std::to_string(options.rate) + " of the " + std::to_string(plan.eligible.size()) +
                           " class-\"" + goal.source + "\" " +
                           (options.unit == PoisonUnit::Image ? "images" : "captions") +
                           " poisons none; raise the rate");
    return plan;
}

// The manifest's header: what was asked for, with the goals and split as resolved.
void describeAttack(PoisonManifest &m, const LabelSwapOptions &options, const std::string &attackId,
                    const std::string &split, long long trainingPairs, const std::vector<AttackGoal> &goals)
{
    m.attack = attackId;
    m.seed = options.seed;
    m.rate = options.rate;
    m.unit = options.unit == PoisonUnit::Image ? "image" : "caption";
    m.split = split;
    m.trainingPairs = trainingPairs;
    json goalsJson = json::array();
    for (const auto &goal : goals)
        goalsJson.push_back({{"source", goal.source}, {"target", goal.target}});
    m.options = options.extra;
    m.options["goals"] = goalsJson;
    m.options["rate"] = options.rate;
    m.options["seed"] = options.seed;
    m.options["unit"] = m.unit;
    m.options["split"] = split;
}

// Points every caption of `unit` at `newImage` in result.dataset and records each pair in the
// manifest; returns how many pairs it poisoned.
long long moveUnit(const data::Dataset &dataset, const AttackGoal &goal, int goalIndex, const PoisonUnitGroup &unit,
                   int newImage, AttackResult &result)
{
    const int newLabel = dataset.images[newImage].label;
    long long poisoned = 0;
    for (int c : unit.captions) {
        data::CaptionRecord &cap = result.dataset.captions[c];
        PoisonedPair pair;
        pair.caption = c;
        pair.text = cap.text;
        pair.originalImage = cap.image;
        pair.originalPath = dataset.images[cap.image].path;
        pair.newImage = newImage;
        pair.newPath = dataset.images[newImage].path;
        pair.sourceClass = goal.source;
        pair.targetClass = newLabel >= 0 ? dataset.classes[newLabel] : goal.target;
        pair.goal = goalIndex;
        result.manifest.pairs.push_back(std::move(pair));
        cap.originalImage = cap.image;
        cap.image = newImage;
        cap.poisoned = true;
        ++poisoned;
    }
    return poisoned;
}

// Samples goal `g`'s units with its own stream, lets `choose` pick their new images and moves them.
GoalSummary poisonGoal(const data::Dataset &dataset, const AttackGoal &goal, size_t g, const GoalPlan &plan,
                       const LabelSwapOptions &options, const std::string &attackId, const ChooseTargets &choose,
                       AttackResult &result)
{
    // One independent stream per goal: adding a goal does not change the others' samples.
    Rng rng = Rng::derive(options.seed, g);
    const auto k = static_cast<size_t>(poisonCount(options.rate, static_cast<long long>(plan.eligible.size())));
    std::vector<PoisonUnitGroup> chosen;
    for (size_t i : sampleWithoutReplacement(plan.eligible.size(), k, rng))
        chosen.push_back(plan.eligible[i]);
    const std::vector<int> newImages = choose(dataset, goal, static_cast<int>(g), chosen, plan.targets, rng);
    if (newImages.size() != chosen.size())
        fail(attackId, "internal error: the target chooser returned " + std::to_string(newImages.size()) +
                           " images for " + std::to_string(chosen.size()) + " units");

    GoalSummary summary{goal.source,
                        goal.target,
                        static_cast<long long>(plan.eligible.size()),
                        0,
                        static_cast<long long>(chosen.size()),
                        0,
                        static_cast<long long>(plan.targets.size()),
                        0};
    for (const auto &unit : plan.eligible)
        summary.eligiblePairs += static_cast<long long>(unit.captions.size());
    std::set<int> used;
    for (size_t u = 0; u < chosen.size(); ++u) {
        const int newImage = newImages[u];
        if (newImage < 0 || static_cast<size_t>(newImage) >= dataset.images.size())
            fail(attackId, "internal error: target image index out of range");
        used.insert(newImage);
        summary.poisonedPairs += moveUnit(dataset, goal, static_cast<int>(g), chosen[u], newImage, result);
    }
    summary.targetImagesUsed = static_cast<long long>(used.size());
    return summary;
}

} // namespace

AttackResult runLabelSwap(const data::Dataset &dataset, const LabelSwapOptions &options, const std::string &attackId,
                          const ChooseTargets &choose, ProgressReporter *progress)
{
    const std::string split = trainingSplit(dataset, options.split);
    const long long trainingPairs = countTrainingPairs(dataset, split);
    if (trainingPairs == 0)
        fail(attackId, "the " + split + " split of dataset \"" + dataset.name +
                           "\" holds no image-caption pairs: nothing to train on after poisoning");

    // Check every goal before changing anything.
    std::vector<AttackGoal> goals = options.goals;
    std::set<int> sources;
    const auto byImage = dataset.captionsByImage();
    std::vector<GoalPlan> plans;
    for (AttackGoal &goal : goals) {
        resolveGoalClasses(dataset, goal, attackId, sources);
        plans.push_back(planGoal(dataset, goal, options, attackId, split, byImage));
    }

    AttackResult result;
    result.dataset = dataset;
    PoisonManifest &m = result.manifest;
    describeAttack(m, options, attackId, split, trainingPairs, goals);
    for (size_t g = 0; g < goals.size(); ++g) {
        if (progress) {
            progress->throwIfCancelled();
            progress->report({"poison",
                              static_cast<long long>(g),
                              static_cast<long long>(goals.size()),
                              goals[g].source + " -> " + goals[g].target,
                              {}});
        }
        GoalSummary summary = poisonGoal(dataset, goals[g], g, plans[g], options, attackId, choose, result);
        m.poisonedPairs += summary.poisonedPairs;
        m.goals.push_back(std::move(summary));
    }
    std::sort(m.pairs.begin(), m.pairs.end(), [](const PoisonedPair &a, const PoisonedPair &b) {
        return a.goal != b.goal ? a.goal < b.goal : a.caption < b.caption;
    });
    if (progress)
        progress->report({"poison",
                          static_cast<long long>(goals.size()),
                          static_cast<long long>(goals.size()),
                          "poisoned " + std::to_string(m.poisonedPairs) + " pairs",
                          {}});
    return result;
}

} // namespace poisonlab::attack
