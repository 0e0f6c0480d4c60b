#pragma once

#include "charts/LineChartWidget.h"
#include "results/RunResultsPtr.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <vector>

class QStandardItemModel;

namespace poisonlab::ui {

/// One run of a comparison: its folder, and either what core read or why it could not.
struct ComparedRun {
    quint64 id = 0;
    QString dir;
    RunResultsPtr results; ///< null while reading and when reading failed
    QString error;         ///< why it could not be read (names the file); empty otherwise
    bool loading = true;

    /// The run's name (run.json), else its folder's name.
    QString name() const;
    /// The poison rate; 0 for a clean run, NaN when unknown (not read, malformed manifest).
    double rate() const;
    /// φ = |Dp| / |D|; 0 for a clean run, NaN when unknown.
    double phi() const;
    bool isClean() const;
};

/// Several runs side by side (RunComparisonView): a table with a row per run (name, attack,
/// rate, φ, R_mean, per goal Hit@1/5/10, MinRank and the random-caption baseline, then R@1/5/10
/// both directions) and the Hit@K chart lines. Goals are matched by name across runs;
/// the first clean run is the reference, and each goal's Hit@10 of the other runs is also
/// shown as the difference from it. Reads nothing itself: the view loads runs on a job and
/// hands them over with setLoaded()/setFailed().
class RunComparisonModel : public QObject {
    Q_OBJECT
public:
    enum Column { Name, Attack, Rate, Phi, RMean }; ///< then per goal, then R@1/5/10 both directions

    explicit RunComparisonModel(QObject *parent = nullptr);

    /// A row "reading…" for `dir`; returns its id for setLoaded()/setFailed().
    quint64 add(const QString &dir);
    void setLoaded(quint64 id, RunResultsPtr results);
    void setFailed(quint64 id, const QString &error);
    void remove(int row);
    int count() const { return int(m_runs.size()); }
    const ComparedRun &run(int row) const { return m_runs[std::size_t(row)]; }
    bool contains(quint64 id) const;

    /// A row per run, in the order added (a QSortFilterProxyModel sorts by Qt::UserRole).
    QStandardItemModel *table() const { return m_table; }
    /// The goals of the runs' evaluations, by name, in order of first appearance.
    QStringList goals() const;
    /// The row of the reference (the first clean run that was read), -1 when none.
    int referenceRow() const;
    /// "name\nAttack II · image, rate 0.5, φ 0.52 %" (the run list), or its state.
    QString summary(int row) const;

    /// True when the runs differ only in their poison rate: three or more read, one attack and
    /// unit among the attacked ones (a clean run is rate 0), each at its own rate.
    bool differOnlyInRate() const;
    /// x = K (1, 5, 10): a line per run with `goal`'s Hit@K.
    QList<ChartSeries> hitsByK(const QString &goal) const;
    /// x = poison rate: a line per K with `goal`'s Hit@K of each run, by rate.
    QList<ChartSeries> hitsByRate(const QString &goal) const;

Q_SIGNALS:
    void changed();

private:
    void rebuild();
    int rowOf(quint64 id) const;

    std::vector<ComparedRun> m_runs;
    QStandardItemModel *m_table;
    quint64 m_nextId = 1;
};

} // namespace poisonlab::ui
