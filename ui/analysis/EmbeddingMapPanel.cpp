#include "analysis/EmbeddingMapPanel.h"

#include "charts/ChartExportDialog.h"

#include "analysis/EmbeddingMapView.h"
#include "browser/ThumbnailCache.h"
#include "charts/ChartExporter.h"
#include "jobs/JobRunner.h"
#include "style/StatusColors.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/experiment/RunProjection.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

namespace poisonlab::ui {

namespace {

/// What a map job hands the GUI thread.
struct MapJobResult {
    EmbeddingGalleryPtr gallery;
    EmbeddingProjectionPtr projection;
};

} // namespace

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(std::shared_ptr<const poisonlab::ui::MapJobResult>)

namespace poisonlab::ui {

namespace {

using nlohmann::json;

// The cached document when its model and reference fit, whatever its parameters (setRuns shows
// what the run has and puts its parameters in the fields).
std::optional<json> cachedWithAnyParameters(experiment::ProjectionOptions o)
{
    const auto file = experiment::projectionFile(o.runDir, o.method);
    if (!std::filesystem::is_regular_file(file))
        return std::nullopt;
    json doc;
    try {
        doc = readJsonFile(file);
    } catch (const std::exception &) {
        return std::nullopt;
    }
    const json params = doc.value("params", json::object());
    o.tsne.perplexity = params.value("perplexity", o.tsne.perplexity);
    o.tsne.iterations = params.value("iterations", o.tsne.iterations);
    o.tsne.maxPoints = params.value("max_points", o.tsne.maxPoints);
    o.tsne.seed = params.value("seed", o.tsne.seed);
    o.tsne.method = params.value("method", std::string("exact"));
    o.tsne.angle = params.value("angle", o.tsne.angle);
    return experiment::projectionMatches(doc, o) ? std::optional<json>(doc) : std::nullopt;
}

std::shared_ptr<const MapJobResult> runMapJob(const AnalysisRuns &runs, const experiment::ProjectionOptions &o,
                                              bool compute, ProgressReporter &progress)
{
    auto result = std::make_shared<MapJobResult>();
    result->gallery = EmbeddingGallery::load(runs.poisoned);
    bool fromCache = true;
    std::optional<json> doc =
        compute ? std::optional<json>(experiment::projectRun(o, progress, &fromCache)) : cachedWithAnyParameters(o);
    if (doc) {
        auto p = std::make_shared<EmbeddingProjection>(EmbeddingProjection::fromJson(
            *doc, QString::fromStdString(experiment::projectionFile(o.runDir, o.method).string())));
        p->fromCache = fromCache;
        result->projection = p;
    }
    return result;
}

QString methodName(const QString &method)
{
    return method == QLatin1String("pca") ? QObject::tr("PCA") : QObject::tr("t-SNE");
}

QString runName(const QString &dir)
{
    return QFileInfo(QDir::cleanPath(dir)).fileName();
}

} // namespace

EmbeddingMapPanel::EmbeddingMapPanel(QWidget *parent)
    : QWidget(parent), m_runner(new JobRunner(QStringLiteral("embedding-map"), this)),
      m_thumbs(new ThumbnailCache(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(makeParameterRow());
    layout->addWidget(makeViewRow());
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    for (auto *&map : m_maps) {
        map = new EmbeddingMapView(splitter);
        splitter->addWidget(map);
    }
    m_maps[0]->setTitle(tr("Poisoned model"));
    m_maps[1]->setTitle(tr("Clean model"));
    layout->addWidget(splitter, 1);
    m_notes = new QLabel(this);
    m_notes->setWordWrap(true);
    m_notes->setForegroundRole(QPalette::PlaceholderText);
    m_notes->setText(tr("Drag to pan, wheel to zoom, double-click to reset. Shift+drag (or Select) selects pairs "
                        "in both maps; click a legend entry to hide or show it."));
    layout->addWidget(m_notes);
    linkMaps();
    for (auto *map : m_maps)
        map->setEmptyText(tr("Open a run to see its embedding map."));

    connect(m_runner, &JobRunner::progress, this, [this](quint64, const ProgressEvent &e) {
        m_progress->setRange(0, e.total > 0 ? int(e.total) : 0);
        m_progress->setValue(int(e.done));
        if (e.stage == "t-sne")
            setStatus(tr("%1: iteration %2 of %3…").arg(QString::fromStdString(e.message)).arg(e.done).arg(e.total));
        else if (!e.message.empty())
            setStatus(QString::fromStdString(e.message) + QStringLiteral("…"));
    });
    connect(m_runner, &JobRunner::finished, this, [this](quint64, const QVariant &v, double seconds) {
        const auto r = v.value<std::shared_ptr<const MapJobResult>>();
        showProjection(r->gallery, r->projection);
        if (r->projection && !r->projection->fromCache)
            setStatus(tr("%1 computed in %2 s and saved to results/analysis/projection_%3.json.")
                          .arg(methodName(r->projection->method))
                          .arg(seconds, 0, 'f', 1)
                          .arg(r->projection->method));
    });
    connect(m_runner, &JobRunner::failed, this, [this](quint64, const QString &message, const QString &) {
        setStatus(message, true);
        Q_EMIT projectionMissing();
    });
    connect(m_runner, &JobRunner::cancelled, this, [this](quint64, const QVariant &) {
        setStatus(tr("Cancelled; nothing was written."));
        Q_EMIT projectionMissing();
    });
    connect(m_runner, &JobRunner::busyChanged, this, &EmbeddingMapPanel::updateBusy);
    updateBusy(false);
}

EmbeddingMapPanel::~EmbeddingMapPanel() = default;

QWidget *EmbeddingMapPanel::makeParameterRow()
{
    auto *row = new QWidget(this);
    auto *grid = new QGridLayout(row); // two lines, so the Results step fits a 1024-px-wide window
    grid->setContentsMargins(0, 0, 0, 0);
    m_method = new QComboBox(row);
    m_method->addItem(tr("t-SNE"), QStringLiteral("tsne"));
    m_method->addItem(tr("PCA"), QStringLiteral("pca"));
    m_perplexity = new QDoubleSpinBox(row);
    m_perplexity->setRange(2, 200);
    m_perplexity->setValue(30);
    m_perplexity->setToolTip(tr("t-SNE's effective number of neighbours per point"));
    m_iterations = new QSpinBox(row);
    m_iterations->setRange(250, 10000);
    m_iterations->setSingleStep(250);
    m_iterations->setValue(1000);
    m_maxPoints = new QSpinBox(row);
    m_maxPoints->setRange(0, 1000000);
    m_maxPoints->setSingleStep(1000);
    m_maxPoints->setSpecialValueText(tr("all"));
    m_maxPoints->setValue(0);
    m_maxPoints->setToolTip(tr("t-SNE embeds at most this many points per model (a seeded sample, the same rows for "
                               "both models); 'all' embeds every point (Barnes-Hut beyond 1,000 points)"));
    m_seed = new QSpinBox(row);
    m_seed->setRange(0, 1 << 30);
    m_tsneMethod = new QComboBox(row);
    m_tsneMethod->addItem(tr("auto"), QStringLiteral("auto")); // exact up to 1,000 points, Barnes-Hut beyond
    m_tsneMethod->addItem(tr("exact"), QStringLiteral("exact"));
    m_tsneMethod->addItem(tr("Barnes-Hut"), QStringLiteral("barnes_hut"));
    m_tsneMethod->setToolTip(tr("auto: exact t-SNE up to 1,000 points, Barnes-Hut beyond"));
    m_project = new QPushButton(tr("Project"), row);
    m_project->setToolTip(tr("Read the projection cached in the run with these parameters, or compute and cache it"));
    m_figure8 = new QPushButton(tr("Paper Figure 8"), row);
    m_figure8->setToolTip(tr("t-SNE of the poisoned and the clean model's embeddings (perplexity 30, 1000 "
                             "iterations), coloured by poison status"));
    auto label = [row](const QString &text) { return new QLabel(text, row); };
    grid->addWidget(label(tr("Projection:")), 0, 0);
    grid->addWidget(m_method, 0, 1);
    grid->addWidget(label(tr("Solver:")), 0, 2);
    grid->addWidget(m_tsneMethod, 0, 3);
    grid->addWidget(label(tr("Perplexity:")), 0, 4);
    grid->addWidget(m_perplexity, 0, 5);
    grid->addWidget(label(tr("Iterations:")), 1, 0);
    grid->addWidget(m_iterations, 1, 1);
    grid->addWidget(label(tr("Max points:")), 1, 2);
    grid->addWidget(m_maxPoints, 1, 3);
    grid->addWidget(label(tr("Seed:")), 1, 4);
    grid->addWidget(m_seed, 1, 5);
    grid->addWidget(m_project, 0, 6);
    grid->addWidget(m_figure8, 1, 6);
    grid->setColumnStretch(7, 1);
    connect(m_method, &QComboBox::currentIndexChanged, this, [this] {
        const bool tsne = method() == Method::Tsne;
        for (QWidget *w :
             std::initializer_list<QWidget *>{m_perplexity, m_iterations, m_maxPoints, m_seed, m_tsneMethod})
            w->setEnabled(tsne);
        if (!m_runs.isEmpty())
            start(false); // show what the run has cached for this method
    });
    connect(m_project, &QPushButton::clicked, this, &EmbeddingMapPanel::project);
    connect(m_figure8, &QPushButton::clicked, this, &EmbeddingMapPanel::applyFigure8Preset);
    return row;
}

QWidget *EmbeddingMapPanel::makeViewRow()
{
    auto *row = new QWidget(this);
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    m_colouring = new QComboBox(row);
    m_colouring->addItem(tr("Poison status"), int(MapColouring::PoisonStatus));
    m_colouring->addItem(tr("Class"), int(MapColouring::Class));
    m_colouring->addItem(tr("Modality"), int(MapColouring::Modality));
    m_selectMode = new QPushButton(tr("Select"), row);
    m_selectMode->setCheckable(true);
    m_selectMode->setToolTip(tr("Drag selects pairs (Shift+drag does it without this)"));
    auto *reset = new QPushButton(tr("Reset View"), row);
    auto *exportButton = new QPushButton(tr("Export…"), row);
    exportButton->setToolTip(tr("Save both maps side by side as PNG or SVG"));
    m_progress = new QProgressBar(row);
    m_progress->setMaximumWidth(160);
    m_cancel = new QPushButton(tr("Cancel"), row);
    m_status = new QLabel(row);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    h->addWidget(new QLabel(tr("Colour by:"), row));
    h->addWidget(m_colouring);
    h->addWidget(m_selectMode);
    h->addWidget(reset);
    h->addWidget(exportButton);
    h->addWidget(m_progress);
    h->addWidget(m_cancel);
    h->addWidget(m_status, 1);
    connect(m_colouring, &QComboBox::currentIndexChanged, this, [this] { recolour(true); });
    connect(m_selectMode, &QPushButton::toggled, this, [this](bool on) {
        for (auto *map : m_maps)
            map->setSelectMode(on);
    });
    connect(reset, &QPushButton::clicked, this, [this] {
        for (auto *map : m_maps)
            map->resetView();
    });
    connect(m_cancel, &QPushButton::clicked, this, &EmbeddingMapPanel::cancel);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        ChartExportDialog::run(
            this, [this](const QString &path, QSize size, QString *error) { return exportFigure(path, size, error); },
            QStringLiteral("embedding-maps"));
    });
    return row;
}

void EmbeddingMapPanel::linkMaps()
{
    for (int i = 0; i < 2; ++i) {
        EmbeddingMapView *self = m_maps[i], *other = m_maps[1 - i];
        connect(self, &EmbeddingMapView::pairsSelected, this,
                [this, other](const QList<int> &captions, const QList<int> &images) {
                    other->setSelection(captions, images);
                    Q_EMIT pairsSelected(captions, images);
                });
        connect(self, &EmbeddingMapView::groupVisibilityChanged, other, &EmbeddingMapView::setGroupVisible);
    }
}

void EmbeddingMapPanel::setMethod(Method method)
{
    m_method->setCurrentIndex(method == Method::Tsne ? 0 : 1);
}

EmbeddingMapPanel::Method EmbeddingMapPanel::method() const
{
    return m_method->currentData().toString() == QLatin1String("pca") ? Method::Pca : Method::Tsne;
}

void EmbeddingMapPanel::setTsneParameters(double perplexity, int iterations, int maxPoints, quint64 seed,
                                          const QString &method)
{
    m_tsneMethod->setCurrentIndex(std::max(0, m_tsneMethod->findData(method)));
    m_perplexity->setValue(perplexity);
    m_iterations->setValue(iterations);
    m_maxPoints->setValue(maxPoints);
    m_seed->setValue(int(seed));
}

void EmbeddingMapPanel::setColouring(MapColouring colouring)
{
    m_colouring->setCurrentIndex(m_colouring->findData(int(colouring)));
}

MapColouring EmbeddingMapPanel::colouring() const
{
    return MapColouring(m_colouring->currentData().toInt());
}

void EmbeddingMapPanel::setRuns(const AnalysisRuns &runs)
{
    if (runs == m_runs && (m_projection || isBusy()))
        return;
    m_runs = runs;
    m_gallery.reset();
    m_projection.reset();
    showProjection(nullptr, nullptr);
    if (runs.poisoned.isEmpty()) {
        m_runner->cancel();
        setStatus(tr("Open a run to see its embedding map."));
        return;
    }
    start(false);
}

void EmbeddingMapPanel::project()
{
    if (m_runs.poisoned.isEmpty()) {
        setStatus(tr("Open a run first."), true);
        return;
    }
    start(true);
}

void EmbeddingMapPanel::applyFigure8Preset()
{
    const QSignalBlocker block(m_method); // one job below, not one per field
    setMethod(Method::Tsne);
    setTsneParameters(30, 1000, 0, quint64(m_seed->value()), QStringLiteral("auto"));
    setColouring(MapColouring::PoisonStatus);
    for (QWidget *w : std::initializer_list<QWidget *>{m_perplexity, m_iterations, m_maxPoints, m_seed, m_tsneMethod})
        w->setEnabled(true);
    project();
}

void EmbeddingMapPanel::start(bool compute)
{
    experiment::ProjectionOptions o;
    o.runDir = m_runs.poisoned.toStdString();
    o.referenceRun = m_runs.clean.toStdString();
    o.method = m_method->currentData().toString().toStdString();
    o.tsne.perplexity = m_perplexity->value();
    o.tsne.iterations = m_iterations->value();
    o.tsne.maxPoints = m_maxPoints->value();
    o.tsne.seed = quint64(m_seed->value());
    o.tsne.method = m_tsneMethod->currentData().toString().toStdString();
    const AnalysisRuns runs = m_runs;
    setStatus(compute ? tr("Projecting…") : tr("Reading the run…"));
    JobOptions options;
    options.contextFile = m_runs.poisoned;
    m_runner->start(
        [runs, o, compute](ProgressReporter &progress) {
            return QVariant::fromValue(runMapJob(runs, o, compute, progress));
        },
        options);
}

void EmbeddingMapPanel::showProjection(EmbeddingGalleryPtr gallery, EmbeddingProjectionPtr projection)
{
    const bool sameGallery = gallery && gallery == m_gallery;
    m_gallery = std::move(gallery);
    m_projection = std::move(projection);
    if (!sameGallery)
        m_thumbs->setDataset(m_gallery ? m_gallery->thumbnailDataset : nullptr);
    for (auto *map : m_maps)
        map->setGallery(m_gallery, m_thumbs);
    const QString axis = m_projection && m_projection->method == QLatin1String("pca") ? tr("PC") : tr("t-SNE");
    m_maps[0]->setAxisName(axis);
    m_maps[1]->setAxisName(axis);
    m_maps[0]->setTitle(tr("Poisoned model: %1").arg(runName(m_runs.poisoned)));
    m_maps[1]->setTitle(m_runs.clean.isEmpty() ? tr("Clean model") : tr("Clean model: %1").arg(runName(m_runs.clean)));
    recolour(false);
    if (!m_gallery)
        return;
    const QString method = m_method->currentText();
    if (!m_projection) {
        const QString text = tr("No %1 of this run is cached. Set the parameters and press Project.").arg(method);
        m_maps[0]->setEmptyText(text);
        m_maps[1]->setEmptyText(m_runs.clean.isEmpty() ? tr("No clean counterpart of this run to compare with.")
                                                       : text);
        setStatus(text);
        Q_EMIT projectionMissing();
        return;
    }
    if (m_projection->method == QLatin1String("tsne"))
        setTsneParameters(m_projection->perplexity, m_projection->iterations, m_projection->maxPoints,
                          m_projection->seed, m_projection->tsneMethod);
    m_maps[1]->setEmptyText(m_runs.clean.isEmpty() ? tr("No clean counterpart of this run to compare with.")
                                                   : tr("The cached projection has no clean model; press Project."));
    if (m_projection->fromCache)
        setStatus(tr("%1 read from the run (results/analysis/projection_%2.json).")
                      .arg(methodName(m_projection->method), m_projection->method));
    QStringList notes;
    notes << tr("Poisoned: %1").arg(m_projection->modelNote);
    if (!m_projection->reference.isEmpty())
        notes << tr("Clean: %1").arg(m_projection->referenceNote);
    m_notes->setText(notes.join(QStringLiteral(" · ")) +
                     tr(". Drag to pan, wheel to zoom, double-click to reset; Shift+drag selects pairs in both maps; "
                        "click a legend entry to hide it."));
    Q_EMIT projectionShown();
}

void EmbeddingMapPanel::recolour(bool keepView)
{
    const QVector<MapPoint> none;
    for (int i = 0; i < 2; ++i) {
        QVector<MapPoint> points = m_projection ? (i == 0 ? m_projection->model : m_projection->reference) : none;
        QVector<MapGroup> groups;
        if (m_gallery && !points.isEmpty())
            groups = EmbeddingMapColoring::apply(points, colouring(), *m_gallery, palette());
        m_maps[i]->setPoints(std::move(points), std::move(groups), keepView);
    }
}

void EmbeddingMapPanel::selectRows(const QList<int> &captionRows, const QList<int> &imageRows)
{
    for (auto *map : m_maps)
        map->setSelection(captionRows, imageRows);
}

bool EmbeddingMapPanel::exportFigure(const QString &path, QSize size, QString *error) const
{
    QList<const EmbeddingMapView *> maps{m_maps[0]};
    if (!m_maps[1]->points().isEmpty())
        maps << m_maps[1];
    return EmbeddingMapView::exportMaps(maps, path, size, error);
}

void EmbeddingMapPanel::cancel()
{
    m_runner->cancel();
}

bool EmbeddingMapPanel::isBusy() const
{
    return m_runner->isBusy();
}

QString EmbeddingMapPanel::statusText() const
{
    return m_status->text();
}

void EmbeddingMapPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? StatusColors::errorStyle(palette()) : QString());
}

void EmbeddingMapPanel::updateBusy(bool busy)
{
    m_progress->setVisible(busy);
    m_cancel->setVisible(busy);
    m_project->setEnabled(!busy);
    m_figure8->setEnabled(!busy);
}

} // namespace poisonlab::ui
