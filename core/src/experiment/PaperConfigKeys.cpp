#include "poisonlab/core/experiment/PaperConfigKeys.h"

#include "poisonlab/core/Error.h"

#include <algorithm>

namespace poisonlab::experiment {

using nlohmann::json;

namespace {

const std::vector<std::string> kIgnored = {
    "image_res", "queue_size",  "momentum",     "alpha",     "k_test",     "embed_dim",     "temp",           "distill",
    "warm_up",   "bert_config", "vision_width", "warmup_lr", "decay_rate", "warmup_epochs", "cooldown_epochs"};

void setDefault(json &section, const std::string &key, const json &value)
{
    if (!section.is_object())
        section = json::object();
    section[key] = value; // the paper key wins over nothing; both given is reported by the caller
}

} // namespace

json translatePaperKeys(const json &config, std::vector<std::string> *ignored)
{
    if (!config.is_object())
        return config;
    json out = config;
    auto note = [&](const std::string &key) {
        if (ignored)
            ignored->push_back(key);
    };
    auto take = [&](const char *key, const char *section, const char *sub, const char *target) {
        if (!out.contains(key))
            return;
        json value = out[key];
        out.erase(key);
        json &s = out[section];
        if (!s.is_object())
            s = json::object();
        json &dst = sub ? s[sub] : s;
        if (!dst.is_object())
            dst = json::object();
        if (dst.contains(target))
            throw Error(std::string("paper key \"") + key + "\" and \"" + section + "." +
                        (sub ? std::string(sub) + "." : "") + target + "\" both given; keep one");
        setDefault(dst, target, value);
    };
    take("poisoned_ratio", "attack", "options", "rate");
    take("target_txt_cls", "attack", "options", "source");
    take("target_img_cls", "attack", "options", "target");
    take("batch_size_train", "training", nullptr, "batchSize");
    take("batch_size_test", "evaluation", "options", "batchSize");
    if (out.contains("attack") && out["attack"].is_object() && !out["attack"].contains("plugin") &&
        out["attack"].contains("options"))
        out["attack"]["plugin"] = "attack-single-target-label"; // the paper's default (Attack II)

    if (out.contains("optimizer") && out["optimizer"].is_object()) {
        json opt = out["optimizer"];
        out.erase("optimizer");
        for (const auto &[k, v] : opt.items()) {
            if (k == "opt") {
                if (!v.is_string() || (v != "adamW" && v != "adamw"))
                    throw Error("\"optimizer.opt\": PoisonLab trains with AdamW, got " + v.dump());
            } else if (k == "lr" || k == "weight_decay") {
                out["optimizer." + k] = v;
                take(("optimizer." + k).c_str(), "training", nullptr, k == "lr" ? "learningRate" : "weightDecay");
            } else
                note("optimizer." + k);
        }
    }
    for (const char *name : {"schedular", "scheduler"}) {
        if (!out.contains(name) || !out[name].is_object())
            continue;
        json sched = out[name];
        out.erase(name);
        for (const auto &[k, v] : sched.items()) {
            const std::string key = std::string(name) + "." + k;
            if (k == "sched") {
                if (v != "cosine")
                    throw Error("\"" + key + "\": PoisonLab's schedule is cosine, got " + v.dump());
            } else if (k == "lr" || k == "epochs" || k == "min_lr") {
                out[key] = v;
                const char *target = k == "lr" ? "learningRate" : k == "epochs" ? "epochs" : "minLearningRate";
                if (k == "lr" && out.contains("training") && out["training"].contains("learningRate")) {
                    out.erase(key); // optimizer.lr and schedular.lr usually repeat each other
                    continue;
                }
                take(key.c_str(), "training", nullptr, target);
            } else
                note(key);
        }
    }
    if (out.contains("train_file") || out.contains("test_file") || out.contains("val_file")) {
        const json root = out.value("image_root", json(""));
        json &datasets = out["datasets"];
        if (!datasets.is_object())
            datasets = json::object();
        // Each file becomes a paper-json dataset whose records all get `split`.
        auto paperDataset = [&](const char *key, const char *name, const char *split) {
            datasets[name] = {
                {"format", "paper-json"}, {"root", root}, {"annotations", out[key]}, {"options", {{"split", split}}}};
            out.erase(key);
        };
        auto evaluation = [&]() -> json & {
            json &ev = out["evaluation"];
            if (!ev.is_object())
                ev = json::object();
            return ev;
        };
        if (out.contains("train_file")) {
            paperDataset("train_file", "paper-train", "train");
            out["train"] = {{"datasets", {"paper-train"}}, {"split", "all"}};
        }
        if (out.contains("test_file")) {
            paperDataset("test_file", "paper-test", "test");
            evaluation()["dataset"] = "paper-test";
            evaluation()["split"] = "all";
        }
        if (out.contains("val_file")) {
            // The paper's code reports retrieval (utility) on val_file, e.g. Flickr30k test.
            paperDataset("val_file", "paper-val", "val");
            evaluation()["utility"] = {{"dataset", "paper-val"}, {"split", "all"}};
        }
        out.erase("image_root");
    }
    for (const auto &k : kIgnored)
        if (out.contains(k)) {
            out.erase(k);
            note(k);
        }
    return out;
}

} // namespace poisonlab::experiment
