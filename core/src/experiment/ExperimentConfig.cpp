#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/JsonValue.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/experiment/PaperConfigKeys.h"
#include "poisonlab/core/plugin/PluginRegistry.h"
#include "poisonlab/core/train/TrainOptions.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <limits>
#include <set>

namespace poisonlab::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

size_t editDistance(const std::string &a, const std::string &b)
{
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const bool same = std::tolower(a[i - 1]) == std::tolower(b[j - 1]);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

/// Reads one JSON object of the config, knowing its key path, and refuses keys it does not know.
class Reader {
public:
    Reader(const fs::path &file, std::string path) : m_file(file), m_path(std::move(path)) {}

    [[noreturn]] void fail(const std::string &key, const std::string &problem) const
    {
        const std::string where = key.empty() ? m_path : (m_path.empty() ? key : m_path + "." + key);
        const std::string msg = (where.empty() ? "" : "\"" + where + "\": ") + problem;
        if (m_file.empty())
            throw Error("experiment config: " + msg);
        throw Error(m_file, msg);
    }

    void requireObject(const json &j) const
    {
        if (!j.is_object())
            fail("", "must be a JSON object, got " + std::string(j.type_name()));
    }

    void allowOnly(const json &j, const std::vector<std::string> &known) const
    {
        requireObject(j);
        for (const auto &[key, value] : j.items()) {
            if (std::find(known.begin(), known.end(), key) != known.end())
                continue;
            std::string best;
            size_t bestDistance = 3;
            for (const auto &k : known) {
                const size_t d = editDistance(key, k);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = k;
                }
            }
            const std::string full = m_path.empty() ? key : m_path + "." + key;
            std::string msg = "unknown key \"" + full + "\"";
            if (!best.empty())
                msg += " (did you mean \"" + best + "\"?)";
            else {
                msg += " (known here:";
                for (const auto &k : known)
                    msg += " " + k;
                msg += ")";
            }
            if (m_file.empty())
                throw Error("experiment config: " + msg);
            throw Error(m_file, msg);
        }
    }

    std::string string(const json &j, const std::string &key, const std::string &fallback, bool required = false) const
    {
        if (!j.contains(key) || j.at(key).is_null()) {
            if (required)
                fail(key, "is required");
            return fallback;
        }
        if (!j.at(key).is_string())
            fail(key, "must be a string, got " + std::string(j.at(key).type_name()));
        return j.at(key).get<std::string>();
    }

    Reader child(const std::string &key) const { return Reader(m_file, m_path.empty() ? key : m_path + "." + key); }
    const std::string &path() const { return m_path; }

private:
    const fs::path &m_file;
    std::string m_path;
};

std::string expand(const std::string &text, const std::map<std::string, std::string> &vars, const Reader &r,
                   const std::string &key)
{
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        const size_t start = text.find("${", i);
        if (start == std::string::npos) {
            out += text.substr(i);
            break;
        }
        const size_t end = text.find('}', start);
        if (end == std::string::npos)
            r.fail(key, "unterminated \"${\" in \"" + text + "\"");
        out += text.substr(i, start - i);
        const std::string name = text.substr(start + 2, end - start - 2);
        if (auto it = vars.find(name); it != vars.end())
            out += it->second;
        else if (const char *env = std::getenv(name.c_str()))
            out += env;
        else
            r.fail(key, "unknown variable ${" + name + "} (give it with --var " + name + "=VALUE)");
        i = end + 1;
    }
    return out;
}

fs::path resolvePath(const std::string &text, const fs::path &file, const std::map<std::string, std::string> &vars,
                     const Reader &r, const std::string &key)
{
    if (text.empty())
        return {};
    fs::path p = expand(text, vars, r, key);
    // A path that starts with a variable ("${data}/pascal") continues the variable's value, and a
    // relative value was typed where the command ran (--var data=demo-data): it is taken from the
    // working directory. Other relative paths were written in the config, beside it.
    const bool startsWithVariable = text.rfind("${", 0) == 0;
    if (p.is_relative())
        p = (file.empty() || startsWithVariable ? fs::current_path() : fs::absolute(file).parent_path()) / p;
    return p.lexically_normal();
}

/// What the config's relative paths and ${variables} resolve against.
struct PathContext {
    const fs::path &file;
    const std::map<std::string, std::string> &vars;

    fs::path resolve(const std::string &text, const Reader &r, const std::string &key) const
    {
        return resolvePath(text, file, vars, r, key);
    }
};

PluginSpec readPlugin(const json &j, const Reader &r, const std::string &kind)
{
    r.allowOnly(j, {"plugin", "options"});
    PluginSpec spec;
    spec.plugin = r.string(j, "plugin", "", true);
    if (j.contains("options")) {
        if (!j["options"].is_object())
            r.fail("options", "must be a JSON object");
        spec.options = j["options"];
    }
    auto &registry = plugin::PluginRegistry::instance();
    const plugin::PluginMetadata *meta = registry.find(spec.plugin);
    if (!meta) {
        std::string known;
        for (const auto &p : registry.plugins(kind))
            known += (known.empty() ? "" : ", ") + p.id;
        r.fail("plugin", "unknown " + kind + " plugin \"" + spec.plugin +
                             "\" (known: " + (known.empty() ? "none found" : known) + ")");
    }
    if (meta->kind != kind)
        r.fail("plugin", "\"" + spec.plugin + "\" is a " + meta->kind + " plugin, not a " + kind + " plugin");
    // Option names are checked against the parameters the plugin declares (without loading it).
    if (!meta->parameters.empty()) {
        std::vector<std::string> names;
        for (const auto &p : meta->parameters)
            names.push_back(p.name);
        r.child("options").allowOnly(spec.options, names);
    }
    return spec;
}

// datasets.NAME.annotations: one path or a list of them.
void readAnnotations(const json &a, const Reader &r, const PathContext &paths, DatasetSpec &d)
{
    if (a.is_string())
        d.source.annotations.push_back(paths.resolve(a.get<std::string>(), r, "annotations"));
    else if (a.is_array()) {
        for (size_t i = 0; i < a.size(); ++i) {
            if (!a[i].is_string())
                r.fail("annotations[" + std::to_string(i) + "]", "must be a path string");
            d.source.annotations.push_back(
                paths.resolve(a[i].get<std::string>(), r, "annotations[" + std::to_string(i) + "]"));
        }
    } else
        r.fail("annotations", "must be a path or a list of paths");
}

// datasets.NAME.splits: a method name, or {"method", "test_per_class", "seed"}.
void readSplits(const json &sp, const Reader &r, DatasetSpec &d)
{
    Reader sr = r.child("splits");
    if (sp.is_string()) {
        d.splitMethod = sp.get<std::string>();
    } else {
        sr.allowOnly(sp, {"method", "test_per_class", "seed"});
        d.splitMethod = sr.string(sp, "method", "own", true);
        if (sp.contains("test_per_class")) {
            if (!isNonNegativeInteger(sp["test_per_class"]) || sp["test_per_class"].get<std::uint64_t>() < 1 ||
                sp["test_per_class"].get<std::uint64_t>() > std::uint64_t(std::numeric_limits<int>::max()))
                sr.fail("test_per_class",
                        "must be a positive integer (at most " + std::to_string(std::numeric_limits<int>::max()) + ")");
            d.testPerClass = sp["test_per_class"].get<int>();
        }
        if (sp.contains("seed")) {
            if (!isNonNegativeInteger(sp["seed"]))
                sr.fail("seed", "must be a non-negative integer");
            d.splitSeed = sp["seed"].get<std::uint64_t>();
        }
    }
    if (d.splitMethod != "own" && d.splitMethod != "per-class-test")
        r.fail("splits", "unknown split method \"" + d.splitMethod + "\" (own or per-class-test)");
}

// datasets.NAME
DatasetSpec readDataset(const std::string &name, const json &spec, const Reader &r, const PathContext &paths)
{
    r.allowOnly(spec, {"format", "root", "annotations", "options", "max_images", "splits", "labels"});
    DatasetSpec d;
    d.name = name;
    d.source.format = r.string(spec, "format", "", true);
    d.source.root = paths.resolve(r.string(spec, "root", "", true), r, "root");
    if (spec.contains("annotations"))
        readAnnotations(spec["annotations"], r, paths, d);
    if (spec.contains("options")) {
        if (!spec["options"].is_object())
            r.fail("options", "must be a JSON object");
        d.source.options = spec["options"];
    }
    if (spec.contains("max_images")) {
        // Read as a long long below: a larger value would turn negative.
        if (!isNonNegativeInteger(spec["max_images"]) ||
            spec["max_images"].get<std::uint64_t>() > std::uint64_t(std::numeric_limits<long long>::max()))
            r.fail("max_images", "must be a non-negative integer (0: all)");
        d.maxImages = spec["max_images"].get<long long>();
    }
    if (spec.contains("labels")) {
        if (!spec["labels"].is_boolean())
            r.fail("labels", "must be true or false");
        d.keepLabels = spec["labels"].get<bool>();
    }
    if (spec.contains("splits"))
        readSplits(spec["splits"], r, d);
    return d;
}

void readDatasetsSection(const json &j, const Reader &top, const PathContext &paths, ExperimentConfig &c)
{
    if (!j.contains("datasets"))
        top.fail("datasets",
                 "is required: an object naming each dataset ({\"pascal\": {\"format\": ..., \"root\": ...}})");
    Reader ds = top.child("datasets");
    ds.requireObject(j["datasets"]);
    if (j["datasets"].empty())
        ds.fail("", "names no dataset");
    for (const auto &[name, spec] : j["datasets"].items())
        c.datasets.push_back(readDataset(name, spec, ds.child(name), paths));
}

// A dataset named in another section must be one "datasets" defines.
void requireDataset(const ExperimentConfig &c, const Reader &r, const std::string &key, const std::string &name)
{
    for (const auto &d : c.datasets)
        if (d.name == name)
            return;
    std::string known;
    for (const auto &d : c.datasets)
        known += (known.empty() ? "" : ", ") + d.name;
    r.fail(key, "names dataset \"" + name + "\", which \"datasets\" does not define (defined: " + known + ")");
}

void checkSplit(const Reader &r, const std::string &key, const std::string &split)
{
    if (split != "all" && !data::parseSplit(split))
        r.fail(key, "unknown split \"" + split + "\" (train, val, test or all)");
}

void readTrainSection(const json &j, const Reader &top, ExperimentConfig &c)
{
    Reader tr = top.child("train");
    const json train = j.value("train", json::object());
    tr.allowOnly(train, {"datasets", "split"});
    if (train.contains("datasets")) {
        const json &list = train["datasets"];
        if (list.is_string())
            c.trainDatasets.push_back(list.get<std::string>());
        else if (list.is_array())
            for (const auto &n : list) {
                if (!n.is_string())
                    tr.fail("datasets", "must list dataset names");
                c.trainDatasets.push_back(n.get<std::string>());
            }
        else
            tr.fail("datasets", "must be a dataset name or a list of them");
    } else if (c.datasets.size() == 1)
        c.trainDatasets.push_back(c.datasets.front().name);
    else
        tr.fail("datasets", "is required when several datasets are defined");
    if (c.trainDatasets.empty())
        tr.fail("datasets", "names no dataset");
    for (const auto &n : c.trainDatasets)
        requireDataset(c, tr, "datasets", n);
    c.trainSplit = tr.string(train, "split", "train");
    checkSplit(tr, "split", c.trainSplit);
}

// evaluation.utility: R@K on a gallery of its own (the paper's val_file, Flickr30k test), Hit@K
// on the evaluation gallery.
void readUtility(const json &utility, const Reader &ev, ExperimentConfig &c)
{
    if (!utility.is_object())
        ev.fail("utility", "must be {\"dataset\": NAME, \"split\": SPLIT}");
    Reader ut = ev.child("utility");
    ut.allowOnly(utility, {"dataset", "split"});
    c.utilityDataset = ut.string(utility, "dataset", "", true);
    requireDataset(c, ut, "dataset", c.utilityDataset);
    c.utilitySplit = ut.string(utility, "split", "test");
    checkSplit(ut, "split", c.utilitySplit);
}

// evaluation.goals: [{"source", "target", "target_image"}, ...]
void readGoals(const json &goals, const Reader &ev, ExperimentConfig &c)
{
    if (!goals.is_array())
        ev.fail("goals", "must be a list of {\"source\": A, \"target\": B}");
    for (size_t i = 0; i < goals.size(); ++i) {
        const json &g = goals[i];
        Reader r = ev.child("goals[" + std::to_string(i) + "]");
        r.allowOnly(g, {"source", "target", "target_image"});
        c.evalGoals.push_back(
            {r.string(g, "source", "", true), r.string(g, "target", "", true), r.string(g, "target_image", "")});
    }
}

void readEvaluationSection(const json &j, const Reader &top, ExperimentConfig &c)
{
    Reader ev = top.child("evaluation");
    const json evaluation = j.value("evaluation", json::object());
    ev.allowOnly(evaluation, {"dataset", "split", "every_epoch", "options", "goals", "utility"});
    c.evalDataset = ev.string(evaluation, "dataset", c.trainDatasets.front());
    requireDataset(c, ev, "dataset", c.evalDataset);
    c.evalSplit = ev.string(evaluation, "split", "test");
    checkSplit(ev, "split", c.evalSplit);
    if (evaluation.contains("utility") && !evaluation["utility"].is_null())
        readUtility(evaluation["utility"], ev, c);
    if (evaluation.contains("every_epoch")) {
        if (!evaluation["every_epoch"].is_boolean())
            ev.fail("every_epoch", "must be true or false");
        c.evalEveryEpoch = evaluation["every_epoch"].get<bool>();
    }
    if (evaluation.contains("options")) {
        if (!evaluation["options"].is_object())
            ev.fail("options", "must be a JSON object");
        c.evalOptions = evaluation["options"];
    }
    if (evaluation.contains("goals"))
        readGoals(evaluation["goals"], ev, c);
}

void readModelSection(const json &j, const Reader &top, const PathContext &paths, ExperimentConfig &c)
{
    Reader mo = top.child("model");
    const json model = j.value("model", json::object());
    mo.allowOnly(model, {"architecture", "config", "weights", "vocab"});
    c.model.architecture = mo.string(model, "architecture", "demo-tiny");
    if (model.contains("config") && !model["config"].is_null()) {
        if (!model["config"].is_object())
            mo.fail("config", "must be a ClipConfig object");
        c.model.config = model["config"];
    }
    c.model.weights = paths.resolve(mo.string(model, "weights", ""), mo, "weights");
    c.model.vocab = paths.resolve(mo.string(model, "vocab", ""), mo, "vocab");
}

// training: the trainer's own strict reader names the bad option.
void readTrainingSection(const json &j, const Reader &top, ExperimentConfig &c)
{
    if (j.contains("training")) {
        Reader r = top.child("training");
        r.requireObject(j["training"]);
        c.training = j["training"];
        try {
            train::TrainOptions::fromJson(c.training).validate();
        } catch (const std::exception &e) {
            r.fail("", e.what());
        }
    }
    if (!c.training.contains("seed"))
        c.training["seed"] = c.seed; // one seed drives the attack, the data order and the init
}

void readDefensesSection(const json &j, const Reader &top, ExperimentConfig &c)
{
    if (!j.contains("defenses"))
        return;
    Reader r = top.child("defenses");
    if (!j["defenses"].is_array())
        r.fail("", "must be a list of {\"plugin\": id, \"options\": {...}}");
    for (size_t i = 0; i < j["defenses"].size(); ++i)
        c.defenses.push_back(readPlugin(j["defenses"][i], top.child("defenses[" + std::to_string(i) + "]"), "defense"));
}

} // namespace

const DatasetSpec &ExperimentConfig::dataset(const std::string &name) const
{
    for (const auto &d : datasets)
        if (d.name == name)
            return d;
    throw Error(file.empty() ? fs::path("experiment config") : file, "no dataset named \"" + name + "\"");
}

ExperimentConfig ExperimentConfig::fromJson(const json &input, const fs::path &file,
                                            const std::map<std::string, std::string> &vars)
{
    Reader top(file, "");
    top.requireObject(input);
    std::vector<std::string> ignoredPaperKeys;
    const json j = [&] {
        try {
            return translatePaperKeys(input, &ignoredPaperKeys);
        } catch (const Error &e) {
            top.fail("", e.what()); // the translation reads JSON, not a file: name the file here
        }
    }();
    for (const auto &k : ignoredPaperKeys)
        spdlog::warn("{}: paper config key \"{}\" has no PoisonLab equivalent; ignored",
                     file.empty() ? "experiment config" : file.string(), k);
    top.allowOnly(j, {"name", "description", "comment", "seed", "datasets", "train", "model", "attack", "training",
                      "evaluation", "defenses", "ignored_paper_keys"});

    ExperimentConfig c;
    c.file = file.empty() ? fs::path() : fs::absolute(file).lexically_normal();
    c.name = top.string(j, "name", file.empty() ? "experiment" : file.stem().string());
    c.description = top.string(j, "description", "");
    if (j.contains("seed")) {
        if (!isNonNegativeInteger(j["seed"]))
            top.fail("seed", "must be a non-negative integer");
        c.seed = j["seed"].get<std::uint64_t>();
    }
    const PathContext paths{file, vars};
    readDatasetsSection(j, top, paths, c);
    readTrainSection(j, top, c);
    readEvaluationSection(j, top, c);
    readModelSection(j, top, paths, c);
    if (j.contains("attack") && !j["attack"].is_null()) // null or absent: a clean run
        c.attack = readPlugin(j["attack"], top.child("attack"), "attack");
    readTrainingSection(j, top, c);
    readDefensesSection(j, top, c);
    return c;
}

ExperimentConfig ExperimentConfig::load(const fs::path &file, const std::map<std::string, std::string> &vars)
{
    return fromJson(readJsonFile(file), file, vars);
}

std::vector<std::string> ExperimentConfig::variablesIn(const json &j)
{
    std::set<std::string> names;
    std::function<void(const json &)> visit = [&](const json &v) {
        if (v.is_structured())
            for (const auto &child : v)
                visit(child);
        if (!v.is_string())
            return;
        const std::string &text = v.get_ref<const std::string &>();
        for (size_t start = text.find("${"); start != std::string::npos; start = text.find("${", start + 2)) {
            const size_t end = text.find('}', start);
            if (end == std::string::npos)
                break; // an unterminated ${ is fromJson's to report
            names.insert(text.substr(start + 2, end - start - 2));
        }
    };
    visit(j);
    return {names.begin(), names.end()};
}

json ExperimentConfig::toJson() const
{
    json datasetsJson = json::object();
    for (const auto &d : datasets) {
        json annotations = json::array();
        for (const auto &a : d.source.annotations)
            annotations.push_back(a.string());
        datasetsJson[d.name] = {
            {"format", d.source.format},
            {"root", d.source.root.string()},
            {"annotations", annotations},
            {"options", d.source.options},
            {"max_images", d.maxImages},
            {"labels", d.keepLabels},
            {"splits", {{"method", d.splitMethod}, {"test_per_class", d.testPerClass}, {"seed", d.splitSeed}}}};
    }
    json defensesJson = json::array();
    for (const auto &d : defenses)
        defensesJson.push_back({{"plugin", d.plugin}, {"options", d.options}});
    json trainingJson = train::TrainOptions::fromJson(training).toJson();
    json goalsJson = json::array();
    for (const auto &g : evalGoals) {
        json goal = {{"source", g.source}, {"target", g.target}};
        if (!g.targetImage.empty())
            goal["target_image"] = g.targetImage;
        goalsJson.push_back(goal);
    }
    json out = {{"name", name},
                {"description", description},
                {"seed", seed},
                {"datasets", datasetsJson},
                {"train", {{"datasets", trainDatasets}, {"split", trainSplit}}},
                {"model",
                 {{"architecture", model.architecture},
                  {"config", model.config.is_null() ? json() : model.config},
                  {"weights", model.weights.empty() ? json() : json(model.weights.string())},
                  {"vocab", model.vocab.empty() ? json() : json(model.vocab.string())}}},
                {"attack", attack ? json{{"plugin", attack->plugin}, {"options", attack->options}} : json()},
                {"training", trainingJson},
                {"evaluation",
                 {{"dataset", evalDataset},
                  {"split", evalSplit},
                  {"every_epoch", evalEveryEpoch},
                  {"options", evalOptions},
                  {"goals", goalsJson}}},
                {"defenses", defensesJson}};
    if (!utilityDataset.empty()) // absent otherwise, as in the configs of earlier runs
        out["evaluation"]["utility"] = {{"dataset", utilityDataset}, {"split", utilitySplit}};
    return out;
}

} // namespace poisonlab::experiment
