#include "results/RunTables.h"

#include <QStandardItemModel>

#include <algorithm>

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

void addUtilityRows(QStandardItemModel *m, const QString &model, const json &evaluation)
{
    const json utility = evaluation.value("utility", json::object());
    const json rMean = numberAt(utility, "r_mean");
    for (const auto &[key, label] : {std::pair{"text_retrieval", QObject::tr("text retrieval (image → caption)")},
                                     std::pair{"image_retrieval", QObject::tr("image retrieval (caption → image)")}}) {
        const json d = utility.value(key, json::object());
        m->appendRow({textItem(model), textItem(label), numberItem(numberAt(d, "r1"), Format::Percent),
                      numberItem(numberAt(d, "r5"), Format::Percent), numberItem(numberAt(d, "r10"), Format::Percent),
                      numberItem(numberAt(d, "mean_rank"), Format::Fixed2),
                      numberItem(numberAt(d, "median_rank"), Format::Fixed2), numberItem(rMean, Format::Percent)});
    }
}

QString goalName(const json &attack)
{
    QString name = str(attack, "name");
    if (name.isEmpty())
        name = str(attack, "source_class");
    return name;
}

} // namespace

QStandardItemModel *RunTables::utility(const json &evaluation, const json &initial, QObject *parent)
{
    auto *m =
        model({QObject::tr("Model"), QObject::tr("Direction"), QObject::tr("R@1 %"), QObject::tr("R@5 %"),
               QObject::tr("R@10 %"), QObject::tr("Mean rank"), QObject::tr("Median rank"), QObject::tr("R_mean %")},
              parent);
    if (evaluation.is_object())
        addUtilityRows(m, QObject::tr("fine-tuned"), evaluation);
    if (initial.is_object() && initial.contains("utility"))
        addUtilityRows(m, QObject::tr("starting model"), initial);
    return m;
}

QStandardItemModel *RunTables::attacks(const json &evaluation, QObject *parent)
{
    auto *m = model({QObject::tr("Goal"), QObject::tr("Queries"), QObject::tr("Measured"), QObject::tr("Hit@1 %"),
                     QObject::tr("Hit@5 %"), QObject::tr("Hit@10 %"), QObject::tr("MinRank mean")},
                    parent);
    if (!evaluation.is_object() || !evaluation.contains("attacks") || !evaluation["attacks"].is_array())
        return m;
    for (const json &a : evaluation["attacks"])
        for (const auto &[key, label] : {std::pair{"attack", QObject::tr("poisoned model (ours)")},
                                         std::pair{"baseline", QObject::tr("random-caption baseline")}}) {
            const json d = a.value(key, json::object());
            m->appendRow({textItem(goalName(a)), numberItem(numberAt(d, "queries"), Format::Integer), textItem(label),
                          numberItem(numberAt(d, "hit@1"), Format::Percent),
                          numberItem(numberAt(d, "hit@5"), Format::Percent),
                          numberItem(numberAt(d, "hit@10"), Format::Percent),
                          numberItem(numberAt(d, "minrank_mean"), Format::Fixed2)});
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
    if (threshold.value("oracle", false))
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
    const json runs = posttrain.is_object() ? posttrain.value("runs", json::array()) : json::array();
    for (const json &run : runs)
        for (const json &e : run.value("evaluations", json::array()))
            for (const json &a : e.value("attacks", json::array())) {
                const std::string name = goalName(a).toStdString();
                if (std::find(goals.begin(), goals.end(), name) == goals.end())
                    goals.push_back(name);
            }
    for (const auto &g : goals)
        headers << QObject::tr("%1 Hit@10 %").arg(QString::fromStdString(g))
                << QObject::tr("%1 MinRank mean").arg(QString::fromStdString(g));
    auto *m = model(headers, parent);
    for (const json &run : runs)
        for (const json &e : run.value("evaluations", json::array())) {
            QList<QStandardItem *> cells{
                numberItem(numberAt(run, "learning_rate"), Format::Scientific),
                numberItem(numberAt(e, "epoch"), Format::Integer),
                numberItem(numberAt(e.value("utility", json::object()), "r_mean"), Format::Percent)};
            for (const auto &g : goals) {
                json attack = json::object();
                for (const json &a : e.value("attacks", json::array()))
                    if (goalName(a).toStdString() == g)
                        attack = a.value("attack", json::object());
                cells << numberItem(numberAt(attack, "hit@10"), Format::Percent)
                      << numberItem(numberAt(attack, "minrank_mean"), Format::Fixed2);
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

QList<ChartSeries> RunTables::postTrainingHits(const json &posttrain, const std::string &hitKey)
{
    QList<ChartSeries> out;
    const json runs = posttrain.is_object() ? posttrain.value("runs", json::array()) : json::array();
    for (const json &run : runs) {
        const QString lr = QString::number(run.value("learning_rate", 0.0), 'g', 3);
        std::vector<std::pair<std::string, ChartSeries>> perGoal;
        for (const json &e : run.value("evaluations", json::array()))
            for (const json &a : e.value("attacks", json::array())) {
                const json hit = numberAt(a.value("attack", json::object()), hitKey.c_str());
                if (!hit.is_number() || !numberAt(e, "epoch").is_number())
                    continue;
                const std::string goal = goalName(a).toStdString();
                auto it = std::find_if(perGoal.begin(), perGoal.end(), [&](const auto &p) { return p.first == goal; });
                if (it == perGoal.end())
                    it = perGoal.insert(perGoal.end(), {goal, ChartSeries{}});
                it->second.points.append(QPointF(e["epoch"].get<double>(), hit.get<double>()));
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
