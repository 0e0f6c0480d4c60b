#include "results/RunComparisonModel.h"
#include "style/StatusColors.h"

#include "results/ResultCells.h"

#include <QBrush>
#include <QFileInfo>
#include <QGuiApplication>
#include <QStandardItemModel>

#include <algorithm>
#include <cmath>
#include <set>

namespace poisonlab::ui {

namespace {

using ResultCells::Format;

constexpr int kKs[] = {1, 5, 10};

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

const eval::AttackFigures *goalOf(const ComparedRun &run, const QString &goal)
{
    return run.results ? run.results->evaluation.attack(goal.toStdString()) : nullptr;
}

double nan()
{
    return std::nan("");
}

/// "Attack II · image", "clean".
QString attackText(const ComparedRun &run)
{
    const auto &m = run.results->poisonManifest;
    if (!m)
        return q(run.results->attackLabel());
    return QObject::tr("%1 · %2").arg(q(report::paperAttackName(m->attack)), q(m->unit));
}

} // namespace

QString ComparedRun::name() const
{
    return results ? q(results->name()) : QFileInfo(dir).fileName();
}

bool ComparedRun::isClean() const
{
    return results && !results->poison.is_object();
}

double ComparedRun::rate() const
{
    if (isClean())
        return 0.0;
    return results && results->poisonManifest ? results->poisonManifest->rate : nan();
}

double ComparedRun::phi() const
{
    if (isClean())
        return 0.0;
    return results && results->poisonManifest ? results->poisonManifest->phi() : nan();
}

RunComparisonModel::RunComparisonModel(QObject *parent) : QObject(parent), m_table(new QStandardItemModel(this))
{
    rebuild();
}

quint64 RunComparisonModel::add(const QString &dir)
{
    ComparedRun run;
    run.id = m_nextId++;
    run.dir = dir;
    m_runs.push_back(run);
    rebuild();
    return run.id;
}

int RunComparisonModel::rowOf(quint64 id) const
{
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].id == id)
            return int(i);
    return -1;
}

bool RunComparisonModel::contains(quint64 id) const
{
    return rowOf(id) >= 0;
}

void RunComparisonModel::setLoaded(quint64 id, RunResultsPtr results)
{
    const int row = rowOf(id);
    if (row < 0) // removed while it was read
        return;
    m_runs[std::size_t(row)].results = std::move(results);
    m_runs[std::size_t(row)].loading = false;
    rebuild();
}

void RunComparisonModel::setFailed(quint64 id, const QString &error)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    m_runs[std::size_t(row)].error = error;
    m_runs[std::size_t(row)].loading = false;
    rebuild();
}

void RunComparisonModel::remove(int row)
{
    if (row < 0 || row >= count())
        return;
    m_runs.erase(m_runs.begin() + row);
    rebuild();
}

QStringList RunComparisonModel::goals() const
{
    QStringList out;
    for (const auto &run : m_runs)
        if (run.results)
            for (const auto &a : run.results->evaluation.attacks)
                if (!out.contains(q(a.label())))
                    out << q(a.label());
    return out;
}

int RunComparisonModel::referenceRow() const
{
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].isClean())
            return int(i);
    return -1;
}

QString RunComparisonModel::summary(int row) const
{
    const ComparedRun &run = m_runs[std::size_t(row)];
    if (run.loading)
        return tr("%1\nreading…").arg(run.name());
    if (!run.results)
        return tr("%1\ncannot be read").arg(run.name());
    if (run.isClean())
        return tr("%1\nclean (no attack)").arg(run.name());
    if (std::isnan(run.rate()))
        return tr("%1\n%2, poison manifest unreadable").arg(run.name(), q(run.results->attackLabel()));
    return tr("%1\n%2, rate %3, φ %4 %")
        .arg(run.name(), attackText(run), QString::number(run.rate(), 'g', 4),
             QString::number(run.phi() * 100.0, 'f', 2));
}

void RunComparisonModel::rebuild()
{
    const QStringList goalNames = goals();
    const int ref = referenceRow();
    // The attack's columns first, where they are seen without scrolling; R@K after them.
    QStringList headers{tr("Run"), tr("Attack"), tr("Rate"), tr("φ %"), tr("R_mean\n%")};
    // With one goal the chart's goal box names it, and the headers stay narrow.
    for (const QString &g : goalNames) {
        const QString p = goalNames.size() > 1 ? g + QLatin1Char('\n') : QString();
        for (int k : kKs)
            headers << tr("%1Hit@%2 %").arg(p).arg(k);
        if (ref >= 0)
            headers << tr("%1ΔHit@10\nvs clean").arg(p);
        headers << tr("%1MinRank").arg(p) << tr("%1baseline\nHit@10 %").arg(p) << tr("%1baseline\nMinRank").arg(p);
    }
    for (const QString &dir : {tr("I→T"), tr("T→I")})
        for (int k : kKs)
            headers << tr("%1\nR@%2 %").arg(dir).arg(k);
    m_table->clear();
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        const ComparedRun &run = m_runs[i];
        QList<QStandardItem *> row{ResultCells::text(run.name())};
        row.front()->setToolTip(run.dir);
        if (!run.results) {
            auto *state = ResultCells::text(run.loading ? tr("reading…") : tr("cannot read: %1").arg(run.error));
            state->setToolTip(run.error);
            if (!run.loading)
                state->setForeground(QBrush(StatusColors::error(QGuiApplication::palette())));
            row << state;
            while (row.size() < headers.size())
                row << ResultCells::text({});
            m_table->appendRow(row);
            continue;
        }
        const eval::UtilityFigures &u = run.results->evaluation.utility;
        row << ResultCells::text(attackText(run)) << ResultCells::number(run.rate(), Format::Significant)
            << ResultCells::number(run.phi(), Format::Percent) << ResultCells::number(u.rMean, Format::Percent);
        for (const QString &g : goalNames) {
            const eval::AttackFigures *a = goalOf(run, g);
            const eval::RankFigures ours = a ? a->attack : eval::RankFigures{};
            const eval::RankFigures baseline = a ? a->baseline : eval::RankFigures{};
            for (int k : kKs)
                row << ResultCells::number(ours.hitAt(k), Format::Percent);
            if (ref >= 0) {
                const eval::AttackFigures *clean = goalOf(m_runs[std::size_t(ref)], g);
                const double delta = clean ? ours.hitAt(10) - clean->attack.hitAt(10) : nan();
                auto *cell = ResultCells::number(int(i) == ref ? nan() : delta, Format::Points);
                if (int(i) == ref)
                    cell->setText(tr("reference"));
                row << cell;
            }
            row << ResultCells::number(ours.minRankMean, Format::Fixed2)
                << ResultCells::number(baseline.hitAt(10), Format::Percent)
                << ResultCells::number(baseline.minRankMean, Format::Fixed2);
        }
        for (const eval::RecallFigures *d : {&u.textRetrieval, &u.imageRetrieval})
            row << ResultCells::number(d->r1, Format::Percent) << ResultCells::number(d->r5, Format::Percent)
                << ResultCells::number(d->r10, Format::Percent);
        m_table->appendRow(row);
    }
    Q_EMIT changed();
}

bool RunComparisonModel::differOnlyInRate() const
{
    std::set<std::string> attacks;
    std::set<double> rates;
    int read = 0;
    for (const auto &run : m_runs) {
        if (!run.results)
            continue;
        ++read;
        if (std::isnan(run.rate()))
            return false;
        rates.insert(run.rate());
        if (!run.isClean())
            attacks.insert(run.results->poisonManifest->attack + "/" + run.results->poisonManifest->unit);
    }
    return read >= 3 && int(rates.size()) == read && attacks.size() == 1;
}

QList<ChartSeries> RunComparisonModel::hitsByK(const QString &goal) const
{
    QList<ChartSeries> out;
    for (const auto &run : m_runs) {
        const eval::AttackFigures *a = goalOf(run, goal);
        if (!a)
            continue;
        ChartSeries s{run.isClean() ? tr("%1 (clean)").arg(run.name())
                                    : tr("%1 (rate %2)").arg(run.name(), QString::number(run.rate(), 'g', 3)),
                      {}};
        for (int k : kKs)
            if (!std::isnan(a->attack.hitAt(k)))
                s.points.append(QPointF(k, a->attack.hitAt(k)));
        if (!s.points.isEmpty())
            out.append(s);
    }
    return out;
}

QList<ChartSeries> RunComparisonModel::hitsByRate(const QString &goal) const
{
    std::vector<const ComparedRun *> byRate;
    for (const auto &run : m_runs)
        if (goalOf(run, goal) && !std::isnan(run.rate()))
            byRate.push_back(&run);
    std::stable_sort(byRate.begin(), byRate.end(),
                     [](const ComparedRun *a, const ComparedRun *b) { return a->rate() < b->rate(); });
    QList<ChartSeries> out;
    for (int k : kKs) {
        ChartSeries s{tr("Hit@%1").arg(k), {}};
        for (const ComparedRun *run : byRate)
            if (const double hit = goalOf(*run, goal)->attack.hitAt(k); !std::isnan(hit))
                s.points.append(QPointF(run->rate(), hit));
        if (!s.points.isEmpty())
            out.append(s);
    }
    return out;
}

} // namespace poisonlab::ui
