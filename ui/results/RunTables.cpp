#include "results/RunTables.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/report/RunResults.h"

#include <QStandardItemModel>

#include <algorithm>
#include <cmath>

namespace poisonlab::ui {

using nlohmann::json;

namespace {

enum class Format { Percent, Fixed2, Fixed4, Integer, Scientific };

// The number at `key` of `j` (null when absent or not a number).
json numberAt(const json &j, const char *key)
{
    if (!j.is_object() || !j.contains(key) || !j[key].is_number())
        return nullptr;
    return j[key];
}

QStandardItem *numberItem(const json &value, Format format)
{
    auto *item = new QStandardItem;
    item->setEditable(false);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (!value.is_number()) {
        item->setText(QStringLiteral("–"));
        return item;
    }
    const double v = value.get<double>();
    item->setData(v, Qt::UserRole);
    switch (format) {
    case Format::Percent:
        item->setText(QString::number(v * 100.0, 'f', 2));
        break;
    case Format::Fixed2:
        item->setText(QString::number(v, 'f', 2));
        break;
    case Format::Fixed4:
        item->setText(QString::number(v, 'f', 4));
        break;
    case Format::Integer:
        item->setText(QString::number(value.get<long long>()));
        break;
    case Format::Scientific:
        item->setText(QString::number(v, 'g', 3));
        break;
    }
    return item;
}

QStandardItem *numberItem(double value, Format format)
{
    return numberItem(std::isnan(value) ? json() : json(value), format);
}

QStandardItem *numberItem(const std::optional<std::int64_t> &value, Format format)
{
    return numberItem(value ? json(*value) : json(), format);
}

QStandardItem *textItem(const QString &text)
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    return item;
}

QString str(const json &j, const char *key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? QString::fromStdString(j[key].get<std::string>())
                                                                  : QString();
}

QStandardItemModel *model(const QStringList &headers, QObject *parent)
{
    auto *m = new QStandardItemModel(0, int(headers.size()), parent);
    m->setHorizontalHeaderLabels(headers);
    return m;
}

void addUtilityRows(QStandardItemModel *m, const QString &model, const eval::EvaluationResult &evaluation)
{
    const eval::UtilityFigures &u = evaluation.utility;
    for (const auto &[d, label] : {std::pair{&u.textRetrieval, QObject::tr("text retrieval (image → caption)")},
                                   std::pair{&u.imageRetrieval, QObject::tr("image retrieval (caption → image)")}}) {
        m->appendRow({textItem(model), textItem(label), numberItem(d->r1, Format::Percent),
                      numberItem(d->r5, Format::Percent), numberItem(d->r10, Format::Percent),
                      numberItem(d->meanRank, Format::Fixed2), numberItem(d->medianRank, Format::Fixed2),
                      numberItem(u.rMean, Format::Percent)});
    }
}

QString goalName(const eval::AttackFigures &attack)
{
    return QString::fromStdString(attack.label());
}

/// posttrain.json's runs; none when it is malformed (the viewer lists the problem).
std::vector<report::PostTrainingRun> postTrainingRuns(const json &posttrain)
{
    try {
        return report::postTrainingRuns(posttrain);
    } catch (const Error &) {
        return {};
    }
}

} // namespace

QStandardItemModel *RunTables::utility(const std::optional<eval::EvaluationResult> &evaluation,
                                       const std::optional<eval::EvaluationResult> &initial, QObject *parent)
{
    auto *m =
        model({QObject::tr("Model"), QObject::tr("Direction"), QObject::tr("R@1 %"), QObject::tr("R@5 %"),
               QObject::tr("R@10 %"), QObject::tr("Mean rank"), QObject::tr("Median rank"), QObject::tr("R_mean %")},
              parent);
    if (evaluation)
        addUtilityRows(m, QObject::tr("fine-tuned"), *evaluation);
    if (initial)
        addUtilityRows(m, QObject::tr("starting model"), *initial);
    return m;
}

QStandardItemModel *RunTables::attacks(const std::optional<eval::EvaluationResult> &evaluation, QObject *parent)
{
    auto *m = model({QObject::tr("Goal"), QObject::tr("Queries"), QObject::tr("Measured"), QObject::tr("Hit@1 %"),
                     QObject::tr("Hit@5 %"), QObject::tr("Hit@10 %"), QObject::tr("MinRank mean")},
                    parent);
    if (!evaluation)
        return m;
    for (const eval::AttackFigures &a : evaluation->attacks)
        for (const auto &[d, label] : {std::pair{&a.attack, QObject::tr("poisoned model (ours)")},
                                       std::pair{&a.baseline, QObject::tr("random-caption baseline")}}) {
            m->appendRow({textItem(goalName(a)), numberItem(d->queries, Format::Integer), textItem(label),
                          numberItem(d->hitAt(1), Format::Percent), numberItem(d->hitAt(5), Format::Percent),
                          numberItem(d->hitAt(10), Format::Percent), numberItem(d->minRankMean, Format::Fixed2)});
        }
    return m;
}

QStandardItemModel *RunTables::detection(const json &prefilter, QObject *parent)
{
    auto *m = model({QObject::tr("Quantity"), QObject::tr("Value")}, parent);
    if (!prefilter.is_object())
        return m;
    auto row = [&](const QString &label, QStandardItem *value) { m->appendRow({textItem(label), value}); };
    const json threshold = prefilter.value("threshold", json::object());
    QString rule =
        QObject::tr("distance ≥ %1")
            .arg(QString::number(
                numberAt(threshold, "distance").is_number() ? threshold["distance"].get<double>() : 0.0, 'g', 4));
    const QString kind = str(threshold, "kind");
    if (kind == QLatin1String("percentile") && numberAt(threshold, "value").is_number())
        rule += QObject::tr(" (percentile %1)").arg(threshold["value"].get<double>());
    else if (!kind.isEmpty() && kind != QLatin1String("absolute"))
        rule += QStringLiteral(" (%1)").arg(kind);
    if (threshold.is_object() && threshold.contains("oracle") && threshold["oracle"] == true)
        rule += QObject::tr(", oracle: uses the true poison labels");
    row(QObject::tr("Scoring model"), textItem(str(prefilter, "scoring_model")));
    auto *ruleItem = textItem(rule);
    ruleItem->setData(threshold.contains("distance") && threshold["distance"].is_number()
                          ? QVariant(threshold["distance"].get<double>())
                          : QVariant(),
                      Qt::UserRole);
    row(QObject::tr("Threshold"), ruleItem);
    const json counts = prefilter.value("counts", json::object());
    for (const auto &[key, label] :
         {std::pair{"pairs", QObject::tr("Pairs scored")}, std::pair{"poisoned", QObject::tr("Poisoned pairs")},
          std::pair{"removed", QObject::tr("Removed")},
          std::pair{"removed_poisoned", QObject::tr("Removed poisoned (true positives)")},
          std::pair{"removed_clean", QObject::tr("Removed clean (false positives)")},
          std::pair{"kept", QObject::tr("Kept")}})
        row(label, numberItem(numberAt(counts, key), Format::Integer));
    for (const auto &[key, label] :
         {std::pair{"precision", QObject::tr("Precision")}, std::pair{"recall", QObject::tr("Recall")},
          std::pair{"f1", QObject::tr("F1")}, std::pair{"auc", QObject::tr("AUC (ROC)")}})
        row(label, numberItem(numberAt(prefilter, key), Format::Fixed4));
    if (prefilter.contains("surviving_poison_share"))
        row(QObject::tr("Poison surviving the filter %"),
            numberItem(numberAt(prefilter, "surviving_poison_share"), Format::Percent));
    return m;
}

QStandardItemModel *RunTables::postTraining(const json &posttrain, QObject *parent)
{
    QStringList headers{QObject::tr("Learning rate"), QObject::tr("Epoch"), QObject::tr("R_mean %")};
    std::vector<std::string> goals;
    const auto runs = postTrainingRuns(posttrain);
    for (const auto &run : runs)
        for (const auto &e : run.evaluations)
            for (const auto &a : e.evaluation.attacks) {
                const std::string name = goalName(a).toStdString();
                if (std::find(goals.begin(), goals.end(), name) == goals.end())
                    goals.push_back(name);
            }
    for (const auto &g : goals)
        headers << QObject::tr("%1 Hit@10 %").arg(QString::fromStdString(g))
                << QObject::tr("%1 MinRank mean").arg(QString::fromStdString(g));
    auto *m = model(headers, parent);
    for (const auto &run : runs)
        for (const auto &e : run.evaluations) {
            QList<QStandardItem *> cells{
                numberItem(run.learningRate, Format::Scientific),
                numberItem(e.epoch ? std::optional<std::int64_t>(*e.epoch) : std::nullopt, Format::Integer),
                numberItem(e.evaluation.utility.rMean, Format::Percent)};
            for (const auto &g : goals) {
                eval::RankFigures attack; // every figure absent: the goal was not measured then
                for (const auto &a : e.evaluation.attacks)
                    if (goalName(a).toStdString() == g)
                        attack = a.attack;
                cells << numberItem(attack.hitAt(10), Format::Percent)
                      << numberItem(attack.minRankMean, Format::Fixed2);
            }
            m->appendRow(cells);
        }
    return m;
}

QList<ChartSeries> RunTables::rocCurve(const json &prefilter)
{
    ChartSeries roc;
    const json auc = numberAt(prefilter, "auc");
    roc.name = auc.is_number() ? QObject::tr("ROC (AUC %1)").arg(auc.get<double>(), 0, 'f', 3) : QObject::tr("ROC");
    if (prefilter.is_object())
        for (const json &p : prefilter.value("roc", json::array()))
            if (numberAt(p, "fpr").is_number() && numberAt(p, "tpr").is_number())
                roc.points.append(QPointF(p["fpr"].get<double>(), p["tpr"].get<double>()));
    if (roc.points.isEmpty())
        return {};
    return {roc, ChartSeries{QObject::tr("chance"), {QPointF(0, 0), QPointF(1, 1)}}};
}

QList<ChartSeries> RunTables::postTrainingHits(const json &posttrain, int hitK)
{
    QList<ChartSeries> out;
    for (const auto &run : postTrainingRuns(posttrain)) {
        const QString lr = QString::number(std::isnan(run.learningRate) ? 0.0 : run.learningRate, 'g', 3);
        std::vector<std::pair<std::string, ChartSeries>> perGoal;
        for (const auto &e : run.evaluations)
            for (const auto &a : e.evaluation.attacks) {
                const double hit = a.attack.hitAt(hitK);
                if (std::isnan(hit) || !e.epoch)
                    continue;
                const std::string goal = goalName(a).toStdString();
                auto it = std::find_if(perGoal.begin(), perGoal.end(), [&](const auto &p) { return p.first == goal; });
                if (it == perGoal.end())
                    it = perGoal.insert(perGoal.end(), {goal, ChartSeries{}});
                it->second.points.append(QPointF(double(*e.epoch), hit));
            }
        for (auto &[goal, series] : perGoal) {
            series.name = perGoal.size() > 1 ? QObject::tr("lr %1 · %2").arg(lr, QString::fromStdString(goal))
                                             : QObject::tr("lr %1").arg(lr);
            out.append(series);
        }
    }
    return out;
}

QList<ChartSeries> RunTables::lossCurve(const std::vector<json> &metrics)
{
    ChartSeries steps{QObject::tr("loss per step"), {}};
    ChartSeries epochs{QObject::tr("mean loss per epoch"), {}};
    for (const json &m : metrics) {
        const std::string type = m.value("type", "");
        if (type == "step" && numberAt(m, "step").is_number() && numberAt(m, "loss").is_number())
            steps.points.append(QPointF(m["step"].get<double>(), m["loss"].get<double>()));
        else if (type == "epoch" && numberAt(m, "step").is_number() && numberAt(m, "mean_loss").is_number())
            epochs.points.append(QPointF(m["step"].get<double>(), m["mean_loss"].get<double>()));
    }
    QList<ChartSeries> out;
    if (!steps.points.isEmpty())
        out.append(steps);
    if (!epochs.points.isEmpty())
        out.append(epochs);
    return out;
}

} // namespace poisonlab::ui
