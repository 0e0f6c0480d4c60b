#include "results/RunEpochTables.h"

#include "results/ResultCells.h"

#include <QObject>
#include <QStandardItemModel>

#include <cmath>

namespace poisonlab::ui {

namespace {

using ResultCells::Format;

constexpr int kKs[] = {1, 5, 10};

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QStandardItemModel *model(const QStringList &headers, QObject *parent)
{
    auto *m = new QStandardItemModel(0, int(headers.size()), parent);
    m->setHorizontalHeaderLabels(headers);
    return m;
}

const eval::AttackFigures *goalIn(const std::optional<eval::EvaluationResult> &e, const QString &goal)
{
    return e ? e->attack(goal.toStdString()) : nullptr;
}

} // namespace

QStringList RunEpochTables::goalsOf(const std::vector<report::EpochRecord> &epochs)
{
    QStringList goals;
    for (const auto &e : epochs)
        if (e.evaluation)
            for (const auto &a : e.evaluation->attacks)
                if (!goals.contains(q(a.label())))
                    goals << q(a.label());
    return goals;
}

QStandardItemModel *RunEpochTables::perEpoch(const std::vector<report::EpochRecord> &epochs, QObject *parent)
{
    // Two-line headers keep the many columns narrow.
    QStringList headers{QObject::tr("Epoch"), QObject::tr("Mean\nloss"), QObject::tr("Learning\nrate")};
    for (const QString &dir : {QObject::tr("I→T"), QObject::tr("T→I")})
        for (int k : kKs)
            headers << QObject::tr("%1\nR@%2 %").arg(dir).arg(k);
    headers << QObject::tr("R_mean\n%");
    const QStringList goals = goalsOf(epochs);
    for (const QString &g : goals) {
        for (int k : kKs)
            headers << QObject::tr("%1\nHit@%2 %").arg(g).arg(k);
        headers << QObject::tr("%1\nMinRank").arg(g);
    }
    auto *m = model(headers, parent);
    for (const auto &e : epochs) {
        auto *epoch = ResultCells::number(e.epoch, Format::Integer);
        if (e.epoch == 0)
            epoch->setText(QObject::tr("0 (start)"));
        QList<QStandardItem *> row{epoch, ResultCells::number(e.meanLoss, Format::Fixed4),
                                   ResultCells::number(e.learningRate, Format::Significant)};
        const eval::UtilityFigures u = e.evaluation ? e.evaluation->utility : eval::UtilityFigures{};
        for (const eval::RecallFigures *d : {&u.textRetrieval, &u.imageRetrieval})
            row << ResultCells::number(d->r1, Format::Percent) << ResultCells::number(d->r5, Format::Percent)
                << ResultCells::number(d->r10, Format::Percent);
        row << ResultCells::number(u.rMean, Format::Percent);
        for (const QString &g : goals) {
            const eval::AttackFigures *a = goalIn(e.evaluation, g);
            const eval::RankFigures figures = a ? a->attack : eval::RankFigures{};
            for (int k : kKs)
                row << ResultCells::number(figures.hitAt(k), Format::Percent);
            row << ResultCells::number(figures.minRankMean, Format::Fixed2);
        }
        m->appendRow(row);
    }
    return m;
}

QList<ChartSeries> RunEpochTables::perEpochRates(const std::vector<report::EpochRecord> &epochs, int k)
{
    ChartSeries i2t{QObject::tr("I→T R@%1").arg(k), {}};
    ChartSeries t2i{QObject::tr("T→I R@%1").arg(k), {}};
    auto recall = [k](const eval::RecallFigures &d) { return k == 1 ? d.r1 : k == 5 ? d.r5 : k == 10 ? d.r10 : NAN; };
    auto add = [](ChartSeries &s, double x, double y) {
        if (!std::isnan(y))
            s.points.append(QPointF(x, y));
    };
    QList<ChartSeries> hits;
    const QStringList goals = goalsOf(epochs);
    for (const QString &g : goals)
        hits.append(ChartSeries{QObject::tr("%1 Hit@%2").arg(g).arg(k), {}});
    for (const auto &e : epochs) {
        if (!e.evaluation)
            continue;
        add(i2t, e.epoch, recall(e.evaluation->utility.textRetrieval));
        add(t2i, e.epoch, recall(e.evaluation->utility.imageRetrieval));
        for (int i = 0; i < goals.size(); ++i)
            if (const eval::AttackFigures *a = goalIn(e.evaluation, goals[i]))
                add(hits[i], e.epoch, a->attack.hitAt(k));
    }
    QList<ChartSeries> out;
    for (const ChartSeries &s : QList<ChartSeries>{i2t, t2i} + hits)
        if (!s.points.isEmpty())
            out.append(s);
    return out;
}

QStandardItemModel *RunEpochTables::poisonGoals(const std::optional<attack::PoisonManifest> &manifest, QObject *parent)
{
    auto *m = model({QObject::tr("Goal"), QObject::tr("Eligible units"), QObject::tr("Eligible pairs"),
                     QObject::tr("Poisoned units"), QObject::tr("Poisoned pairs"), QObject::tr("Target images used"),
                     QObject::tr("Target images available")},
                    parent);
    if (!manifest)
        return m;
    for (const attack::GoalSummary &g : manifest->goals)
        m->appendRow({ResultCells::text(QObject::tr("%1 → %2").arg(q(g.source), q(g.target))),
                      ResultCells::number(double(g.eligibleUnits), Format::Integer),
                      ResultCells::number(double(g.eligiblePairs), Format::Integer),
                      ResultCells::number(double(g.poisonedUnits), Format::Integer),
                      ResultCells::number(double(g.poisonedPairs), Format::Integer),
                      ResultCells::number(double(g.targetImagesUsed), Format::Integer),
                      ResultCells::number(double(g.targetImages), Format::Integer)});
    return m;
}

QString RunEpochTables::poisonSummary(const report::RunResults &run)
{
    if (!run.poisonManifest) {
        if (run.poison.is_object()) // present but malformed: the problems line names the file
            return QObject::tr("Poisoning: the poison manifest could not be read (see the problems above)");
        return QObject::tr("Clean run (no attack) — poison/manifest.json: not in this run");
    }
    const attack::PoisonManifest &m = *run.poisonManifest;
    return QObject::tr("%1 (%2): rate %3 of the class-A %4s — |Dp| = %5 poisoned pairs of %6 training pairs (|D|), "
                       "φ = %7 %")
        .arg(q(report::paperAttackName(m.attack)), q(m.attack), QString::number(m.rate, 'g', 4), q(m.unit))
        .arg(m.poisonedPairs)
        .arg(m.trainingPairs)
        .arg(QString::number(m.phi() * 100.0, 'g', 4));
}

QString RunEpochTables::poisonDetails(const report::RunResults &run)
{
    QString html = QStringLiteral("<p><b>%1</b></p>").arg(poisonSummary(run).toHtmlEscaped());
    if (!run.poisonManifest)
        return html;
    const attack::PoisonManifest &m = *run.poisonManifest;
    html += QObject::tr("<table><tr><td>Split poisoned:&nbsp;</td><td>%1</td></tr>"
                        "<tr><td>Attack seed:&nbsp;</td><td>%2</td></tr></table>")
                .arg(q(m.split).toHtmlEscaped())
                .arg(m.seed);
    const QString how = m.unit == "image" ? QObject::tr("a poisoned image has its captions paired with class-B images")
                                          : QObject::tr("a poisoned caption is paired with a class-B image");
    html += QObject::tr("<p>The <i>rate</i> is the share of each goal's class-A %1s that were poisoned (%2); "
                        "φ = |Dp| / |D| counts the poisoned image-caption pairs among all training pairs. "
                        "Per goal:</p>")
                .arg(q(m.unit).toHtmlEscaped(), how);
    return html;
}

} // namespace poisonlab::ui
