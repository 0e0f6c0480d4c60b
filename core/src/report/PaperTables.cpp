#include "poisonlab/core/report/PaperTables.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace poisonlab::report {

using nlohmann::json;

namespace {

const char *const kDash = "\xE2\x80\x93"; // en dash: a number that is not there

std::string fixed(double v, int decimals)
{
    if (!std::isfinite(v))
        return kDash;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string signedFixed(double v, int decimals)
{
    if (!std::isfinite(v))
        return kDash;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%+.*f", decimals, v);
    return std::string(buf) == "-0.000" ? "+0.000" : buf;
}

const json &member(const json &j, const char *key)
{
    static const json null;
    return j.is_object() && j.contains(key) ? j[key] : null;
}

std::vector<std::string> hitRow(const eval::RankFigures &figures)
{
    return {formatFraction(figures.hitAt(1)), formatFraction(figures.hitAt(5)), formatFraction(figures.hitAt(10)),
            formatRank(figures.minRankMean)};
}

/// R@1, R@5, R@10 of text retrieval, then of image retrieval.
std::vector<double> recalls(const eval::UtilityFigures &u)
{
    return {u.textRetrieval.r1,  u.textRetrieval.r5,  u.textRetrieval.r10,
            u.imageRetrieval.r1, u.imageRetrieval.r5, u.imageRetrieval.r10};
}

std::vector<std::string> utilityRow(const eval::EvaluationResult &evaluation)
{
    std::vector<std::string> row;
    for (double r : recalls(evaluation.utility))
        row.push_back(formatFraction(r));
    return row;
}

std::string goalName(const eval::AttackFigures &attack)
{
    const std::string label = attack.label();
    return label.empty() ? "?" : label;
}

} // namespace

std::string formatFraction(double value)
{
    return fixed(value, 3);
}

std::string formatRank(double value)
{
    return fixed(value, 1);
}

std::string formatPercent(double fraction, int decimals)
{
    return std::isfinite(fraction) ? fixed(fraction * 100, decimals) + "%" : kDash;
}

double numberAt(const json &object, const std::string &key)
{
    if (object.is_object() && object.contains(key) && object[key].is_number())
        return object[key].get<double>();
    return std::numeric_limits<double>::quiet_NaN();
}

namespace paper {

ReportTable attackTable(const RunResults &run)
{
    ReportTable t;
    t.id = "attack";
    t.header = {"Goal", "Method", "Hit@1", "Hit@5", "Hit@10", "MinRank"};
    t.align = "llrrrr";
    const std::string target = run.evaluationTarget();
    t.caption = run.attackLabel() + " on " + run.name() + (target.empty() ? "" : " (" + target + ")") +
                ": Hit@K is the fraction of class-A test captions whose top K retrieved images hold a target "
                "image; MinRank is the mean best rank of a target image (0 = first). Baseline: random captions "
                "of other classes.";
    for (const auto &a : run.evaluation.attacks) {
        if (!t.rows.empty())
            t.rulesBefore.push_back(t.rows.size());
        std::vector<std::string> base{goalName(a), "Baseline"}, ours{"", "Ours"};
        for (auto &s : hitRow(a.baseline))
            base.push_back(s);
        for (auto &s : hitRow(a.attack))
            ours.push_back(s);
        t.rows.push_back(base);
        t.rows.push_back(ours);
    }
    if (t.rows.empty())
        t.notes.push_back("The evaluation measured no attack goal (set evaluation.goals in the config).");
    return t;
}

ReportTable utilityTable(const RunResults &run, const std::optional<CleanReference> &clean)
{
    ReportTable t;
    t.id = "utility";
    t.groups = {{"", 1}, {"Text retrieval", 3}, {"Image retrieval", 3}};
    t.header = {"Model", "R@1", "R@5", "R@10", "R@1", "R@5", "R@10"};
    const std::string target = run.utilityTarget();
    t.caption = "Utility on " + (target.empty() ? std::string("the test split") : target) +
                ": recall at K of text retrieval (image queries) and image retrieval (caption queries).";
    const std::string self =
        run.poison.is_object() ? "Attacked (" + run.name() + ")" : "Fine-tuned (" + run.name() + ")";
    if (clean) {
        std::vector<std::string> row{clean->label};
        for (auto &s : utilityRow(clean->evaluation))
            row.push_back(s);
        t.rows.push_back(row);
        if (!clean->note.empty())
            t.notes.push_back(clean->note);
    }
    std::vector<std::string> row{self};
    for (auto &s : utilityRow(run.evaluation))
        row.push_back(s);
    t.rows.push_back(row);
    if (clean) {
        std::vector<std::string> delta{"Change"};
        const std::vector<double> a = recalls(run.evaluation.utility), b = recalls(clean->evaluation.utility);
        for (std::size_t i = 0; i < a.size(); ++i)
            delta.push_back(signedFixed(a[i] - b[i], 3));
        t.rulesBefore.push_back(t.rows.size());
        t.rows.push_back(delta);
    }
    return t;
}

std::optional<ReportTable> poisonTable(const RunResults &run)
{
    if (!run.poison.is_object())
        return std::nullopt;
    const json &p = run.poison;
    ReportTable t;
    t.id = "poison";
    t.header = {"Goal", "Poisoned pairs", "Eligible pairs", "Target images used"};
    const double rate = numberAt(p, "rate"), phi = numberAt(p, "phi");
    const double poisoned = numberAt(p, "poisoned_pairs"), total = numberAt(p, "training_pairs");
    const json &options = member(p, "options");
    t.caption = run.attackLabel() + " (" + p.value("attack", std::string("?")) + "): rate " + fixed(rate, 3) +
                " of class-A " + p.value("unit", options.value("unit", std::string("unit"))) +
                "s; \xCF\x86 = |Dp|/|D| = " + fixed(poisoned, 0) + "/" + fixed(total, 0) + " = " +
                formatPercent(phi, 2) + ".";
    for (const auto &g : p.value("goals", json::array())) {
        const std::string target = g.value("target", std::string(""));
        std::string name = g.value("source", std::string("?")) + "->" + (target.empty() ? "?" : target);
        if (options.contains("target_image") && options["target_image"].is_string())
            name += " (" + options["target_image"].get<std::string>() + ")";
        t.rows.push_back({name, fixed(numberAt(g, "poisoned_pairs"), 0), fixed(numberAt(g, "eligible_pairs"), 0),
                          fixed(numberAt(g, "target_images_used"), 0)});
    }
    return t;
}

std::optional<ReportTable> epochTable(const RunResults &run)
{
    const auto epochs = run.evaluationsByEpoch();
    if (epochs.size() < 2)
        return std::nullopt;
    ReportTable t;
    t.id = "epochs";
    t.header = {"Epoch", "Goal", "Hit@1", "Hit@5", "Hit@10", "MinRank", "R mean"};
    t.align = "rlrrrrr";
    t.caption = "Attack efficacy and mean recall after each evaluated epoch (0: before fine-tuning).";
    for (const auto &[epoch, e] : epochs) {
        const auto &attacks = e.attacks;
        const std::string rmean = formatFraction(e.utility.rMean);
        if (!t.rows.empty())
            t.rulesBefore.push_back(t.rows.size());
        if (attacks.empty()) {
            t.rows.push_back({std::to_string(epoch), kDash, kDash, kDash, kDash, kDash, rmean});
            continue;
        }
        for (std::size_t i = 0; i < attacks.size(); ++i) {
            std::vector<std::string> row{i ? "" : std::to_string(epoch), goalName(attacks[i])};
            for (auto &s : hitRow(attacks[i].attack))
                row.push_back(s);
            row.push_back(i ? "" : rmean);
            t.rows.push_back(row);
        }
    }
    return t;
}

std::optional<ReportTable> prefilterTable(const RunResults &run)
{
    const auto it = run.defense.find("prefilter");
    if (it == run.defense.end())
        return std::nullopt;
    const json &p = it->second;
    const json &th = member(p, "threshold"), &c = member(p, "counts");
    ReportTable t;
    t.id = "prefilter";
    t.header = {"Threshold", "Pairs", "Removed", "Poisoned removed", "Clean removed", "Precision",
                "Recall",    "F1",    "AUC"};
    t.caption = "Pre-training defense: training pairs whose image-caption cosine distance under " +
                p.value("scoring_model", std::string("the scoring model")) +
                " is at or above the threshold are removed.";
    std::string kind = th.value("kind", std::string(""));
    if (th.value("oracle", false))
        kind += ", oracle";
    t.rows.push_back({fixed(numberAt(th, "distance"), 3) + (kind.empty() ? "" : " (" + kind + ")"),
                      fixed(numberAt(c, "pairs"), 0), fixed(numberAt(c, "removed"), 0),
                      fixed(numberAt(c, "removed_poisoned"), 0) + " / " + fixed(numberAt(c, "poisoned"), 0),
                      fixed(numberAt(c, "removed_clean"), 0), formatFraction(numberAt(p, "precision")),
                      formatFraction(numberAt(p, "recall")), formatFraction(numberAt(p, "f1")),
                      formatFraction(numberAt(p, "auc"))});
    return t;
}

std::optional<ReportTable> posttrainTable(const RunResults &run)
{
    const auto it = run.defense.find("posttrain");
    if (it == run.defense.end() || !member(it->second, "runs").is_array())
        return std::nullopt;
    ReportTable t;
    t.id = "posttrain";
    t.header = {"Learning rate", "Epoch", "Goal", "Hit@1", "Hit@5", "Hit@10", "MinRank", "R mean"};
    t.align = "rrlrrrrr";
    t.caption = "Post-training defense: clean fine-tuning of the poisoned model on " +
                it->second.value("dataset", std::string("clean data")) + " for " +
                fixed(numberAt(it->second, "epochs"), 0) + " epochs; before (epoch 0) and after.";
    for (const auto &r : postTrainingRuns(it->second)) {
        const auto &evals = r.evaluations;
        if (evals.empty())
            continue;
        char lr[32];
        std::snprintf(lr, sizeof lr, "%g", r.learningRate);
        std::vector<const PostTrainingRun::Epoch *> shown{&evals.front()};
        if (evals.size() > 1)
            shown.push_back(&evals.back());
        t.rulesBefore.push_back(t.rows.size());
        for (const PostTrainingRun::Epoch *e : shown) {
            const auto &attacks = e->evaluation.attacks;
            const std::string epoch = e->epoch ? std::to_string(*e->epoch) : kDash;
            const std::string rmean = formatFraction(e->evaluation.utility.rMean);
            const std::size_t n = std::max<std::size_t>(attacks.size(), 1);
            for (std::size_t i = 0; i < n; ++i) {
                std::vector<std::string> row{e == shown.front() && i == 0 ? lr : "", i ? "" : epoch};
                if (i < attacks.size()) {
                    row.push_back(goalName(attacks[i]));
                    for (auto &s : hitRow(attacks[i].attack))
                        row.push_back(s);
                } else {
                    row.insert(row.end(), {kDash, kDash, kDash, kDash, kDash});
                }
                row.push_back(i ? "" : rmean);
                t.rows.push_back(row);
            }
        }
    }
    if (!t.rulesBefore.empty())
        t.rulesBefore.erase(t.rulesBefore.begin());
    return t;
}

std::optional<ReportTable> embeddingShiftTable(const RunResults &run)
{
    const auto it = run.analysis.find("embedding_shift");
    if (it == run.analysis.end())
        return std::nullopt;
    const json &s = it->second;
    ReportTable t;
    t.id = "shift";
    t.header = {"Embeddings", "Mean", "Median", "90th percentile"};
    t.caption = "Cosine distance between each embedding under " + s.value("reference", std::string("the reference")) +
                " and under " + s.value("model", std::string("the model")) + ".";
    for (const char *m : {"images", "captions"})
        if (member(s, m).is_object())
            t.rows.push_back({m, fixed(numberAt(s[m], "mean"), 3), fixed(numberAt(s[m], "median"), 3),
                              fixed(numberAt(s[m], "p90"), 3)});
    return t;
}

} // namespace paper

} // namespace poisonlab::report
