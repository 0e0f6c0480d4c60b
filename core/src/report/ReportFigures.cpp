#include "poisonlab/core/report/ReportFigures.h"

#include "poisonlab/core/JsonFields.h"
#include "poisonlab/core/report/BarChart.h"
#include "poisonlab/core/report/HeatmapChart.h"
#include "poisonlab/core/report/LineChart.h"
#include "poisonlab/core/report/PaperTables.h"
#include "poisonlab/core/report/ScatterChart.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <set>

namespace poisonlab::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

LineChart::Series named(std::string name)
{
    LineChart::Series s;
    s.name = std::move(name);
    return s;
}

BarChart::Group group(std::string name)
{
    BarChart::Group g;
    g.name = std::move(name);
    return g;
}

std::vector<double> numbers(const json &array)
{
    std::vector<double> out;
    if (array.is_array())
        for (const auto &v : array)
            out.push_back(v.is_number() ? v.get<double>() : kNaN);
    return out;
}

std::string fmt(const char *format, double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string goalName(const eval::AttackFigures &a)
{
    return a.name.empty() ? "?" : a.name;
}

std::unique_ptr<Chart> lossChart(const RunResults &run)
{
    auto chart = std::make_unique<LineChart>();
    LineChart::Series steps = named("loss per step"), epochs = named("mean loss per epoch");
    steps.colour = Colour{160, 190, 220};
    steps.width = 1.2;
    epochs.colour = categoricalColour(0);
    epochs.markers = true;
    for (const auto &m : run.metrics) {
        const std::string type = m.value("type", "");
        if (type == "step" && m.contains("loss")) {
            steps.x.push_back(numberAt(m, "step"));
            steps.y.push_back(numberAt(m, "loss"));
        } else if (type == "epoch" && m.contains("mean_loss")) {
            epochs.x.push_back(numberAt(m, "step"));
            epochs.y.push_back(numberAt(m, "mean_loss"));
        }
    }
    if (steps.x.empty() && run.final.is_object() && run.final.contains("training")) {
        steps.y = numbers(run.final["training"].value("step_losses", json::array()));
        for (std::size_t i = 0; i < steps.y.size(); ++i)
            steps.x.push_back(double(i + 1));
    }
    if (steps.x.empty() && epochs.x.empty())
        return nullptr;
    chart->title = "Training loss";
    chart->xLabel = "step";
    chart->yLabel = "contrastive loss";
    chart->integerX = true;
    chart->series = {steps, epochs};
    return chart;
}

std::unique_ptr<Chart> hitEpochChart(const RunResults &run)
{
    const auto epochs = run.evaluationsByEpoch();
    if (epochs.size() < 2)
        return nullptr;
    auto chart = std::make_unique<LineChart>();
    chart->title = "Hit@K per epoch";
    chart->xLabel = "epoch";
    chart->yLabel = "Hit@K";
    chart->integerX = true;
    chart->yRange = std::make_pair(0.0, 1.0);
    std::map<std::string, std::size_t> goalIndex;
    std::vector<std::string> goals;
    for (const auto &[epoch, e] : epochs)
        for (const auto &a : e.attacks) {
            const std::string name = goalName(a);
            if (goalIndex.emplace(name, goals.size()).second)
                goals.push_back(name);
        }
    const int ks[] = {1, 5, 10};
    for (std::size_t g = 0; g < goals.size(); ++g) {
        for (int k = 0; k < 3; ++k) {
            LineChart::Series s =
                named((goals.size() > 1 ? goals[g] + " " : std::string()) + "Hit@" + std::to_string(ks[k]));
            s.colour = categoricalColour(g * 3 + std::size_t(k));
            s.markers = true;
            for (const auto &[epoch, e] : epochs)
                for (const auto &a : e.attacks)
                    if (goalName(a) == goals[g]) {
                        s.x.push_back(epoch);
                        s.y.push_back(a.attack.hitAt(ks[k]));
                    }
            chart->series.push_back(s);
        }
        LineChart::Series b = named((goals.size() > 1 ? goals[g] + " " : std::string()) + "baseline Hit@10");
        b.colour = categoricalColour(g * 3 + 2);
        b.dashed = true;
        b.width = 1.5;
        for (const auto &[epoch, e] : epochs)
            for (const auto &a : e.attacks)
                if (goalName(a) == goals[g]) {
                    b.x.push_back(epoch);
                    b.y.push_back(a.baseline.hitAt(10));
                }
        chart->series.push_back(b);
    }
    return chart->series.empty() ? nullptr : std::move(chart);
}

std::unique_ptr<Chart> hitBars(const RunResults &run)
{
    const auto &attacks = run.evaluation.attacks;
    if (attacks.empty())
        return nullptr;
    auto chart = std::make_unique<BarChart>();
    chart->title = "Hit@K: ours vs baseline";
    chart->yLabel = "Hit@K";
    chart->categories = {"Hit@1", "Hit@5", "Hit@10"};
    chart->yRange = std::make_pair(0.0, 1.0);
    for (std::size_t g = 0; g < attacks.size(); ++g) {
        const std::string prefix = attacks.size() > 1 ? goalName(attacks[g]) + " " : "";
        BarChart::Group ours = group(prefix + "ours"), base = group(prefix + "baseline");
        ours.colour = categoricalColour(2 * g);
        base.colour = categoricalColour(10 + 2 * g);
        for (int k : {1, 5, 10}) {
            ours.values.push_back(attacks[g].attack.hitAt(k));
            base.values.push_back(attacks[g].baseline.hitAt(k));
        }
        chart->groups.push_back(ours);
        chart->groups.push_back(base);
    }
    return chart;
}

std::unique_ptr<LineChart> densityChart(const json &d, const std::string &title)
{
    const auto grid = numbers(d.at("grid"));
    auto chart = std::make_unique<LineChart>();
    chart->title = title;
    chart->xLabel = "cosine distance between image and caption";
    chart->yLabel = "density";
    const json &groups = d.at("groups");
    std::size_t i = 0;
    for (const char *name : {"clean", "poisoned"}) {
        if (!groups.contains(name))
            continue;
        const json &g = groups[name];
        LineChart::Series s = named(std::string(name) + " (n=" + std::to_string(g.value("count", 0LL)) + ", mean " +
                                    fmt("%.3f", numberAt(g, "mean")) + ")");
        s.x = grid;
        s.y = numbers(g.at("density"));
        if (s.y.size() != s.x.size())
            throw std::runtime_error(std::string("groups.") + name + ".density has " + std::to_string(s.y.size()) +
                                     " values but grid has " + std::to_string(s.x.size()));
        s.fill = true;
        s.colour = categoricalColour(i == 0 ? 0 : 3);
        chart->series.push_back(s);
        ++i;
    }
    return chart;
}

std::unique_ptr<Chart> scatter(const json &model, const std::string &title)
{
    auto chart = std::make_unique<ScatterChart>();
    chart->title = title;
    chart->xLabel = "component 1";
    chart->yLabel = "component 2";
    std::set<std::string> classes;
    auto className = [](const json &p) {
        const json &c = p.contains("class") ? p["class"] : json();
        if (c.is_string())
            return c.get<std::string>();
        if (c.is_number_integer() && c.get<long long>() >= 0)
            return "class " + std::to_string(c.get<long long>());
        return std::string("unlabelled");
    };
    const json &points = model.at("points");
    for (const auto &p : points)
        classes.insert(className(p));
    chart->groups.assign(classes.begin(), classes.end());
    for (const auto &p : points) {
        ScatterChart::Item item;
        item.x = p.at("x").get<double>();
        item.y = p.at("y").get<double>();
        item.group = std::size_t(std::distance(classes.begin(), classes.find(className(p))));
        item.alternate = p.value("modality", std::string("image")) == "caption";
        item.highlight = p.value("poisoned", false);
        chart->points.push_back(item);
    }
    return chart;
}

std::unique_ptr<Chart> heatmap(const json &g, const char *key, const std::string &title, const std::string &label,
                               bool reversed, int decimals)
{
    auto chart = std::make_unique<HeatmapChart>();
    chart->title = title;
    chart->xLabel = "target class B (images)";
    chart->yLabel = "source class A (captions)";
    chart->colourLabel = label;
    chart->reversed = reversed;
    chart->valueDecimals = decimals;
    chart->rowLabels = g.at("classes").get<std::vector<std::string>>();
    chart->columnLabels = chart->rowLabels;
    for (const auto &row : g.at(key))
        chart->values.push_back(numbers(row));
    if (chart->values.size() != chart->rowLabels.size())
        throw std::runtime_error(std::string("\"") + key + "\" has " + std::to_string(chart->values.size()) +
                                 " rows but \"classes\" lists " + std::to_string(chart->rowLabels.size()));
    for (const auto &row : chart->values)
        if (row.size() != chart->rowLabels.size())
            throw std::runtime_error(std::string("a row of \"") + key + "\" has " + std::to_string(row.size()) +
                                     " values, not " + std::to_string(chart->rowLabels.size()));
    chart->width = 760;
    chart->height = 640;
    return chart;
}

std::unique_ptr<Chart> posttrainChart(const json &p, bool attack)
{
    auto chart = std::make_unique<LineChart>();
    chart->title = attack ? "Post-training defense: Hit@10 per epoch" : "Post-training defense: utility per epoch";
    chart->xLabel = "clean fine-tuning epoch";
    chart->yLabel = attack ? "Hit@10" : "mean recall (R mean)";
    chart->integerX = true;
    chart->yRange = std::make_pair(0.0, 1.0);
    std::size_t colour = 0;
    p.at("runs"); // a posttrain.json without runs is malformed
    for (const auto &r : postTrainingRuns(p)) {
        const std::string lr = "lr " + fmt("%g", r.learningRate);
        std::map<std::string, LineChart::Series> byGoal;
        std::vector<std::string> order;
        LineChart::Series util = named(lr);
        for (const auto &e : r.evaluations) {
            const double epoch = e.epoch ? double(*e.epoch) : kNaN;
            util.x.push_back(epoch);
            util.y.push_back(e.evaluation.utility.rMean);
            for (const auto &a : e.evaluation.attacks) {
                const std::string goal = goalName(a);
                if (!byGoal.count(goal))
                    order.push_back(goal);
                auto &s = byGoal[goal];
                s.x.push_back(epoch);
                s.y.push_back(a.attack.hitAt(10));
            }
        }
        if (!attack) {
            util.colour = categoricalColour(colour++);
            util.markers = true;
            chart->series.push_back(util);
            continue;
        }
        for (std::size_t g = 0; g < order.size(); ++g) {
            auto s = byGoal[order[g]];
            s.name = order.size() > 1 ? lr + " " + order[g] : lr;
            s.colour = categoricalColour(colour); // one colour per learning rate, a dash per goal
            s.markers = true;
            s.dashed = g > 0;
            chart->series.push_back(s);
        }
        ++colour;
    }
    return chart->series.empty() ? nullptr : std::move(chart);
}

} // namespace

FigureSet buildFigures(const RunResults &run)
{
    FigureSet set;
    const fs::path analysisDir = run.dir / "results" / "analysis";
    const fs::path defenseDir = run.dir / "results" / "defense";
    auto add = [&](std::string name, std::string caption, std::unique_ptr<Chart> chart) {
        // Model names may be paths ("demo-clean/final"): a figure name is one file name.
        for (char &c : name)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
                c = '-';
        if (chart)
            set.figures.push_back({std::move(name), std::move(caption), std::move(chart)});
    };
    // Builds figures from one optional input; a malformed file becomes a problem naming it.
    auto guarded = [&](const fs::path &file, const std::function<void()> &build) {
        try {
            build();
        } catch (const std::exception &e) {
            set.missing.push_back({file, std::string("malformed: ") + withoutJsonTag(e.what()), ""});
        }
    };

    if (auto c = lossChart(run))
        add("loss", "Contrastive loss per step and mean loss per epoch.", std::move(c));
    else
        set.missing.push_back({run.dir / "metrics.jsonl", "no training loss recorded (no step or epoch records)", ""});

    if (auto c = hitEpochChart(run))
        add("hitk_epochs",
            "Hit@1/5/10 of each goal after each evaluated epoch (epoch 0: before fine-tuning); "
            "dashed: the baseline's Hit@10.",
            std::move(c));
    else
        set.missing.push_back({run.dir / "metrics.jsonl", "fewer than two evaluated epochs: no Hit@K-per-epoch curve",
                               "set \"evaluation\": {\"every_epoch\": true} in the config"});

    if (auto c = hitBars(run))
        add("hitk_bars", "Hit@K of the attacked model (ours) against the random-caption baseline.", std::move(c));

    if (auto it = run.analysis.find("distance_density"); it != run.analysis.end())
        guarded(analysisDir / "distance_density.json", [&] {
            const json &d = it->second;
            add("distance_density",
                "Kernel density (" + d.value("kernel", std::string("gaussian")) + ", bandwidth " +
                    fmt("%.3g", numberAt(d, "bandwidth")) +
                    ") of the image-caption cosine distance of clean and "
                    "poisoned training pairs under " +
                    d.value("model", std::string("the model")) + ".",
                densityChart(d, "Image-caption distance: clean vs poisoned pairs"));
        });
    for (const char *method : {"pca", "tsne"}) {
        const std::string key = std::string("projection_") + method;
        const auto it = run.analysis.find(key);
        if (it == run.analysis.end())
            continue;
        guarded(analysisDir / (key + ".json"), [&] {
            const std::string label = std::string(method) == "pca" ? "PCA" : "t-SNE";
            for (const auto &[model, points] : it->second.at("models").items())
                add(std::string(method) + "-" + model,
                    label + " of the " + model +
                        " model's test embeddings (dots: images, squares: captions, "
                        "rings: poisoned), coloured by class.",
                    scatter(points, label + " of the embeddings (" + model + " model)"));
        });
    }
    if (auto it = run.analysis.find("minrank_grid"); it != run.analysis.end())
        guarded(analysisDir / "minrank_grid.json", [&] {
            add("minrank_grid",
                "Mean MinRank when class A's captions look for class B's images (" +
                    it->second.value("model", std::string("model")) + " model); low means A already points at B.",
                heatmap(it->second, "minrank_mean", "MinRank per class pair", "mean MinRank", true, 1));
            if (it->second.contains("hit@10"))
                add("hit10_grid", "Hit@10 of every class pair (A's captions, B's images).",
                    heatmap(it->second, "hit@10", "Hit@10 per class pair", "Hit@10", false, 2));
        });
    if (auto it = run.defense.find("prefilter"); it != run.defense.end())
        guarded(defenseDir / "prefilter.json", [&] {
            const json &p = it->second;
            auto roc = std::make_unique<LineChart>();
            roc->title = "Pre-training defense: ROC";
            roc->xLabel = "false positive rate (clean pairs removed)";
            roc->yLabel = "true positive rate (poisoned pairs removed)";
            roc->xRange = std::make_pair(0.0, 1.0);
            roc->yRange = std::make_pair(0.0, 1.0);
            roc->diagonal = true;
            roc->width = 600;
            roc->height = 480;
            LineChart::Series s = named("AUC " + fmt("%.3f", numberAt(p, "auc")));
            for (const auto &pt : p.at("roc")) {
                s.x.push_back(pt.at("fpr").get<double>());
                s.y.push_back(pt.at("tpr").get<double>());
            }
            roc->series.push_back(s);
            add("prefilter_roc", "ROC of removing pairs by image-caption distance (poisoned = positive).",
                std::move(roc));
            if (p.contains("density") && p["density"].is_object()) {
                auto d = densityChart(p["density"], "Pre-training defense: distances and threshold");
                const json &th = p.value("threshold", json());
                if (std::isfinite(numberAt(th, "distance")))
                    d->verticalLines.push_back({numberAt(th, "distance"),
                                                "threshold " + fmt("%.3f", numberAt(th, "distance")),
                                                Colour{80, 80, 80}});
                add("prefilter_density", "Distances of clean and poisoned training pairs and the filter's threshold.",
                    std::move(d));
            }
        });
    if (auto it = run.defense.find("posttrain"); it != run.defense.end())
        guarded(defenseDir / "posttrain.json", [&] {
            add("posttrain_hit", "Hit@10 of the poisoned model during clean fine-tuning, one curve per learning rate.",
                posttrainChart(it->second, true));
            add("posttrain_utility", "Mean recall during clean fine-tuning, one curve per learning rate.",
                posttrainChart(it->second, false));
        });
    return set;
}

} // namespace poisonlab::report
