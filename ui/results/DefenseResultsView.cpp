#include "results/DefenseResultsView.h"

#include "charts/TableExporter.h"

#include "charts/LineChartWidget.h"
#include "results/ChartAxes.h"
#include "results/RunTables.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/report/RunResults.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStandardItemModel>
#include <QTableView>

#include <algorithm>
#include <cmath>

namespace poisonlab::ui {

namespace {

QTableView *makeTable(QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->verticalHeader()->hide();
    view->setAlternatingRowColors(true);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return view;
}

/// The text at `key` of a defense file, `fallback` when absent or not a string (the files come
/// from run folders: a wrong type must not throw on the GUI thread).
QString textOr(const nlohmann::json &j, const char *key, const char *fallback)
{
    return QString::fromStdString(j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                                         : std::string(fallback));
}

/// The whole number at `key`, `fallback` when absent or of another type.
int countOr(const nlohmann::json &j, const char *key, int fallback)
{
    return j.is_object() && j.contains(key) && j[key].is_number_integer() ? int(j[key].get<long long>()) : fallback;
}

QString notInRun(const char *file)
{
    return QObject::tr("results/defense/%1: not in this run").arg(QLatin1String(file));
}

/// R_mean against epochs, one line per learning rate (epoch 0: the poisoned model).
QList<ChartSeries> postTrainingUtility(const nlohmann::json &posttrain)
{
    QList<ChartSeries> out;
    try {
        for (const auto &run : report::postTrainingRuns(posttrain)) {
            ChartSeries s{QObject::tr("lr %1").arg(std::isnan(run.learningRate) ? 0.0 : run.learningRate, 0, 'g', 3),
                          {}};
            for (const auto &e : run.evaluations)
                if (e.epoch && !std::isnan(e.evaluation.utility.rMean))
                    s.points.append(QPointF(double(*e.epoch), e.evaluation.utility.rMean));
            if (!s.points.isEmpty())
                out.append(s);
        }
    } catch (const Error &) {
        // the table and the Hit@K chart say what is wrong with the file
    }
    return out;
}

} // namespace

DefenseResultsView::DefenseResultsView(QWidget *parent) : QWidget(parent)
{
    m_prefilterNote = new QLabel(this);
    m_prefilterNote->setWordWrap(true);
    m_posttrainNote = new QLabel(this);
    m_posttrainNote->setWordWrap(true);
    m_detectionView = makeTable(this);
    m_detectionView->setObjectName(QStringLiteral("detectionTable"));
    m_postTrainingView = makeTable(this);
    m_postTrainingView->setObjectName(QStringLiteral("postTrainingTable"));
    TableExporter::addExportAction(m_detectionView, QStringLiteral("prefilter-detection"));
    TableExporter::addExportAction(m_postTrainingView, QStringLiteral("posttrain-defense"));
    m_roc = new LineChartWidget(tr("false-positive rate"), tr("true-positive rate"), this);
    m_roc->setTitle(tr("Pre-training filter: ROC"));
    m_roc->setXRange(std::pair{0.0, 1.0});
    m_roc->setYRange(std::pair{0.0, 1.0});
    m_roc->setMinimumHeight(260); // room for the axis titles
    m_hits = new LineChartWidget(tr("epoch of clean fine-tuning"), tr("Hit@10"), this);
    m_hits->setTitle(tr("Post-training defense: Hit@10 per learning rate"));
    m_hits->setYRange(std::pair{0.0, 1.0});
    m_utility = new LineChartWidget(tr("epoch of clean fine-tuning"), tr("utility R_mean"), this);
    m_utility->setTitle(tr("Post-training defense: utility per learning rate"));

    auto *grid = new QGridLayout(this);
    grid->addWidget(m_prefilterNote, 0, 0, 1, 2);
    grid->addWidget(m_detectionView, 1, 0);
    grid->addWidget(m_roc, 1, 1);
    grid->addWidget(m_posttrainNote, 2, 0, 1, 2);
    auto *curves = new QHBoxLayout;
    curves->addWidget(m_hits);
    curves->addWidget(m_utility);
    grid->addLayout(curves, 3, 0, 1, 2);
    grid->addWidget(m_postTrainingView, 4, 0, 1, 2);
    grid->setRowStretch(1, 1);
    grid->setRowStretch(3, 1);
    grid->setRowStretch(4, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    clear();
}

QString DefenseResultsView::prefilterNote() const
{
    return m_prefilterNote->text();
}

QString DefenseResultsView::posttrainNote() const
{
    return m_posttrainNote->text();
}

void DefenseResultsView::clear()
{
    show(nullptr, QString(), nullptr, QString());
}

void DefenseResultsView::show(const nlohmann::json &prefilter, const QString &prefilterProblem,
                              const nlohmann::json &posttrain, const QString &posttrainProblem)
{
    delete m_detection;
    delete m_postTraining;
    m_detection = RunTables::detection(prefilter, this);
    m_postTraining = RunTables::postTraining(posttrain, this);
    m_detectionView->setModel(m_detection);
    m_postTrainingView->setModel(m_postTraining);
    m_detectionView->resizeColumnToContents(0);

    const bool havePre = prefilter.is_object();
    const bool havePost = posttrain.is_object();
    const QString preMissing = prefilterProblem.isEmpty() ? notInRun("prefilter.json") : prefilterProblem;
    const QString postMissing = posttrainProblem.isEmpty() ? notInRun("posttrain.json") : posttrainProblem;
    m_prefilterNote->setText(havePre ? tr("<b>Pre-training filter</b> (%1): %2")
                                           .arg(textOr(prefilter, "defense", "distance filter"),
                                                textOr(prefilter, "score", "").toHtmlEscaped())
                                     : tr("<b>Pre-training filter</b>: %1").arg(preMissing.toHtmlEscaped()));
    m_posttrainNote->setText(havePost ? tr("<b>Post-training defense</b> (%1): clean fine-tuning on %2/%3, %4 epochs")
                                            .arg(textOr(posttrain, "defense", "clean fine-tuning"),
                                                 textOr(posttrain, "dataset", "?"), textOr(posttrain, "split", "?"))
                                            .arg(countOr(posttrain, "epochs", 0))
                                      : tr("<b>Post-training defense</b>: %1").arg(postMissing.toHtmlEscaped()));
    m_detectionView->setVisible(havePre);
    m_postTrainingView->setVisible(havePost);

    const auto roc = RunTables::rocCurve(prefilter);
    m_roc->setSeries(roc);
    m_roc->setPlaceholder(roc.isEmpty() ? (havePre ? tr("prefilter.json has no ROC points") : preMissing) : QString());
    const auto hits = RunTables::postTrainingHits(posttrain);
    m_hits->setSeries(hits);
    m_hits->setPlaceholder(hits.isEmpty() ? (havePost ? tr("posttrain.json has no attack evaluations") : postMissing)
                                          : QString());
    const auto utility = postTrainingUtility(posttrain);
    m_utility->setSeries(utility);
    // Whole epochs on the x axis (0 = the poisoned model), not 0.5, 1.5.
    const int epochs = havePost ? std::max(1, countOr(posttrain, "epochs", 1)) : 1;
    ChartAxes::integerX(m_hits, tr("epoch of clean fine-tuning"), 0, epochs);
    ChartAxes::integerX(m_utility, tr("epoch of clean fine-tuning"), 0, epochs);
    m_postTrainingView->resizeColumnsToContents();
    m_utility->setPlaceholder(utility.isEmpty() ? (havePost ? tr("posttrain.json has no utility figures") : postMissing)
                                                : QString());
}

} // namespace poisonlab::ui
