#include "analysis/EmbeddingShiftView.h"

#include "analysis/DensityChart.h"
#include "jobs/JobRunner.h"
#include "style/StatusColors.h"

#include "poisonlab/core/analysis/DistanceDensity.h"
#include "poisonlab/core/analysis/EmbeddingShift.h"
#include "poisonlab/core/experiment/RunEmbeddingShift.h"

#include <QDir>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

Q_DECLARE_METATYPE(std::shared_ptr<const nlohmann::json>)

namespace poisonlab::ui {

namespace {

using nlohmann::json;
using JsonPtr = std::shared_ptr<const json>;

std::filesystem::path toPath(const QString &s)
{
    return std::filesystem::path(QDir(s).absolutePath().toStdString());
}

QList<QPointF> curve(const json &density, const char *group)
{
    QList<QPointF> out;
    const json &grid = density["grid"];
    const json &values = density["groups"][group]["density"];
    for (std::size_t i = 0; i < grid.size() && i < values.size(); ++i)
        out.append(QPointF(grid[i].get<double>(), values[i].get<double>()));
    return out;
}

QString describe(const QString &what, const json &g)
{
    return QObject::tr("<b>%1</b> (%2): mean %3 · median %4 · 90th percentile %5")
        .arg(what)
        .arg(g.value("count", 0LL))
        .arg(g.value("mean", 0.0), 0, 'f', 4)
        .arg(g.value("median", 0.0), 0, 'f', 4)
        .arg(g.value("p90", 0.0), 0, 'f', 4);
}

} // namespace

EmbeddingShiftView::EmbeddingShiftView(QWidget *parent)
    : QWidget(parent), m_runner(new JobRunner(QStringLiteral("embedding-shift"), this))
{
    qRegisterMetaType<JsonPtr>();
    m_stack = new QStackedWidget(this);
    auto *messagePage = new QWidget(m_stack);
    auto *messageLayout = new QVBoxLayout(messagePage);
    m_message = new QLabel(messagePage);
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pick = new QPushButton(tr("Pick the clean run…"), messagePage);
    m_pick->setObjectName(QStringLiteral("pickCleanRun"));
    m_progress = new QProgressBar(messagePage);
    m_progress->setRange(0, 0);
    messageLayout->addStretch(1);
    messageLayout->addWidget(m_message);
    messageLayout->addWidget(m_pick, 0, Qt::AlignCenter);
    messageLayout->addWidget(m_progress, 0, Qt::AlignCenter);
    messageLayout->addStretch(1);

    auto *chartPage = new QWidget(m_stack);
    auto *chartLayout = new QVBoxLayout(chartPage);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    m_chart = new DensityChart(tr("cosine distance between the clean and the poisoned model's embedding"),
                               tr("density"), chartPage);
    m_chart->setTitle(tr("Embedding shift of the test set: clean → poisoned model"));
    m_summary = new QLabel(chartPage);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    chartLayout->addWidget(m_chart, 1);
    chartLayout->addWidget(m_summary);
    m_stack->addWidget(messagePage);
    m_stack->addWidget(chartPage);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_stack);

    connect(m_pick, &QPushButton::clicked, this, &EmbeddingShiftView::pickCleanRunRequested);
    connect(m_runner, &JobRunner::finished, this,
            [this](quint64, const QVariant &result, double) { showShift(*result.value<JsonPtr>()); });
    connect(m_runner, &JobRunner::failed, this, [this](quint64, const QString &message, const QString &file) {
        const QString text = file.isEmpty() || message.contains(file) ? message : file + QStringLiteral(": ") + message;
        showMessage(tr("The embedding shift cannot be computed: %1").arg(text), true);
        m_message->setStyleSheet(StatusColors::errorStyle(palette()));
    });
    connect(m_runner, &JobRunner::cancelled, this,
            [this](quint64, const QVariant &) { showMessage(tr("Cancelled; nothing was written."), false); });
    connect(m_runner, &JobRunner::busyChanged, m_progress, &QWidget::setVisible);
    setRuns({});
}

QString EmbeddingShiftView::message() const
{
    return m_stack->currentIndex() == 0 ? m_message->text() : QString();
}

QString EmbeddingShiftView::summaryText() const
{
    return m_summary->text();
}

void EmbeddingShiftView::showMessage(const QString &text, bool offerPick)
{
    m_message->setText(text);
    m_message->setStyleSheet(QString());
    m_pick->setVisible(offerPick);
    m_progress->setVisible(m_runner->isBusy());
    m_stack->setCurrentIndex(0);
}

void EmbeddingShiftView::setRuns(const AnalysisRuns &runs)
{
    m_runs = runs;
    m_shift = nullptr;
    if (runs.poisoned.isEmpty()) {
        m_runner->cancel();
        showMessage(tr("Open a poisoned run and its clean counterpart to see how far the poison moved each test "
                       "image and caption."),
                    false);
        return;
    }
    if (runs.clean.isEmpty()) {
        m_runner->cancel();
        showMessage(tr("There is no clean run beside %1.\n\nThe embedding shift compares the poisoned model with the "
                       "clean one: pick the clean run (same data and model, no attack).")
                        .arg(QDir::toNativeSeparators(runs.poisoned)),
                    true);
        return;
    }
    JobOptions options;
    options.contextFile = runs.poisoned;
    m_runner->start(
        [poisoned = toPath(runs.poisoned), clean = toPath(runs.clean)](ProgressReporter &progress) {
            json shift = experiment::loadOrComputeEmbeddingShift(poisoned, clean, "final", progress);
            std::map<std::string, std::vector<double>> groups;
            for (const char *g : {"images", "captions"})
                groups[g] = shift[g].value("values", std::vector<double>());
            json density = analysis::estimateDensities(groups).toJson();
            // The axis ends at the 99th percentile of both groups: a few far-moved samples would
            // otherwise squash the peaks into one column.
            std::vector<double> all = groups["images"];
            all.insert(all.end(), groups["captions"].begin(), groups["captions"].end());
            density["axis_end"] = all.empty() ? 1.0 : analysis::percentile(all, 99);
            density["largest"] = all.empty() ? 0.0 : *std::max_element(all.begin(), all.end());
            return QVariant::fromValue<JsonPtr>(
                std::make_shared<const json>(json{{"shift", std::move(shift)}, {"density", density}}));
        },
        options);
    showMessage(tr("Reading the embedding shift…"), false);
}

void EmbeddingShiftView::showShift(const json &result)
{
    m_shift = result["shift"];
    const json &density = result["density"];
    m_chart->setXLimit(density.value("axis_end", 1.0));
    m_chart->setCurves({{tr("images"), curve(density, "images"), QColor()}, // the chart theme's colours
                        {tr("captions"), curve(density, "captions"), QColor()}});
    const double images = m_shift["images"].value("mean", 0.0);
    const double captions = m_shift["captions"].value("mean", 0.0);
    m_summary->setText(
        describe(tr("Images"), m_shift["images"]) + QStringLiteral("<br>") +
        describe(tr("Captions"), m_shift["captions"]) + QStringLiteral("<br>") +
        tr("Reference: %1. On average the poison moved the %2 more (the larger distance from the clean model).")
            .arg(QString::fromStdString(m_shift.value("reference", "")).toHtmlEscaped(),
                 images >= captions ? tr("images") : tr("captions")) +
        tr(" The axis ends at the 99th percentile (%1); the largest shift is %2.")
            .arg(density.value("axis_end", 0.0), 0, 'f', 3)
            .arg(density.value("largest", 0.0), 0, 'f', 3));
    m_stack->setCurrentIndex(1);
    Q_EMIT shiftShown();
}

} // namespace poisonlab::ui
