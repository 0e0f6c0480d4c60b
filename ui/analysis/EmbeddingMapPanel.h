#pragma once

#include "analysis/AnalysisRuns.h"
#include "analysis/EmbeddingGallery.h"
#include "analysis/EmbeddingMapColoring.h"
#include "analysis/EmbeddingProjection.h"

#include <QList>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace poisonlab::ui {

class EmbeddingMapView;
class JobRunner;
class ThumbnailCache;

/// The embedding map of a poisoned run beside its clean counterpart (paper Figure 8): PCA or
/// t-SNE of the evaluation gallery's image and caption embeddings, coloured by poison status,
/// class or modality. The projection's method and parameters are set first; Project reads
/// results/analysis/projection_<method>.json of the poisoned run when it was made with them (by
/// `poisonlab-cli analyze --reference CLEAN_RUN` or earlier here) and otherwise computes it with
/// core on a JobRunner (progress, Cancel) and writes it there atomically (a cancelled projection
/// writes nothing). A selection in one map selects the same rows in the other.
class EmbeddingMapPanel : public QWidget {
    Q_OBJECT
public:
    enum class Method { Pca, Tsne };

    explicit EmbeddingMapPanel(QWidget *parent = nullptr);
    ~EmbeddingMapPanel() override;

    AnalysisRuns runs() const { return m_runs; }
    void setMethod(Method method);
    Method method() const;
    /// maxPoints 0: every point; method: "auto", "exact" or "barnes_hut" (TsneOptions::method).
    void setTsneParameters(double perplexity, int iterations, int maxPoints, quint64 seed,
                           const QString &method = QStringLiteral("auto"));
    void setColouring(MapColouring colouring);
    MapColouring colouring() const;

    /// Shows the cached projection made with the current method and parameters, or computes it.
    void project();
    /// Paper Figure 8: t-SNE of every point (perplexity 30, 1000 iterations, exact up to 1,000
    /// points, Barnes-Hut beyond), coloured by poison status, both models side by side.
    void applyFigure8Preset();
    void cancel();
    bool isBusy() const;

    /// Selects gallery rows in both maps (no pairsSelected; e.g. from the retrieval explorer).
    void selectRows(const QList<int> &captionRows, const QList<int> &imageRows);
    /// Both maps side by side in one PNG/SVG.
    bool exportFigure(const QString &path, QSize size, QString *error = nullptr) const;

    EmbeddingMapView *poisonedMap() const { return m_maps[0]; }
    EmbeddingMapView *cleanMap() const { return m_maps[1]; }
    /// The poisoned run's gallery: maps selected rows to dataset caption indices and image paths.
    EmbeddingGalleryPtr gallery() const { return m_gallery; }
    EmbeddingProjectionPtr projection() const { return m_projection; }
    QString statusText() const;
    JobRunner *runner() const { return m_runner; }

public Q_SLOTS:
    /// Loads the poisoned run's gallery and whatever projection it has cached (for the current
    /// method; its parameters are shown). Computes nothing until Project.
    void setRuns(const poisonlab::ui::AnalysisRuns &runs);

Q_SIGNALS:
    /// The user selected rows of the evaluation gallery on either map.
    void pairsSelected(const QList<int> &captionRows, const QList<int> &imageRows);
    /// A projection is on the maps (read from the cache or computed).
    void projectionShown();
    /// setRuns() or project() ended without a projection to show (nothing cached, an error).
    void projectionMissing();

private:
    QWidget *makeParameterRow();
    QWidget *makeViewRow();
    void start(bool compute);
    void showProjection(EmbeddingGalleryPtr gallery, EmbeddingProjectionPtr projection);
    void recolour(bool keepView);
    void setStatus(const QString &text, bool error = false);
    void updateBusy(bool busy);
    void linkMaps();

    AnalysisRuns m_runs;
    JobRunner *m_runner;
    ThumbnailCache *m_thumbs;
    EmbeddingGalleryPtr m_gallery;
    EmbeddingProjectionPtr m_projection;
    EmbeddingMapView *m_maps[2] = {nullptr, nullptr};
    QComboBox *m_method = nullptr;
    QDoubleSpinBox *m_perplexity = nullptr;
    QSpinBox *m_iterations = nullptr;
    QSpinBox *m_maxPoints = nullptr;
    QSpinBox *m_seed = nullptr;
    QComboBox *m_tsneMethod = nullptr;
    QPushButton *m_project = nullptr;
    QPushButton *m_figure8 = nullptr;
    QComboBox *m_colouring = nullptr;
    QPushButton *m_selectMode = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_notes = nullptr;
};

} // namespace poisonlab::ui
