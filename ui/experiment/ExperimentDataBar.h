#pragma once

#include "dataset/DatasetPtr.h"
#include "poisonlab/core/data/DatasetSource.h"

#include <QWidget>

#include <nlohmann/json.hpp>

#include <optional>

class QLabel;
class QPushButton;

namespace poisonlab::ui {

class ExperimentDraft;

/// The Data step's answer to "what will the experiment train on?": a line above the pair browser
/// naming the draft's training datasets (format, folder, split method, clean shares), with
/// "Train on the Open Dataset" (makes the open dataset the experiment's only one) and
/// "Open Experiment…". The browser shows one dataset; an experiment may merge several, so the
/// two are kept apart and said apart.
class ExperimentDataBar : public QWidget {
    Q_OBJECT
public:
    ExperimentDataBar(ExperimentDraft *draft, QWidget *parent = nullptr);

    /// The dataset open in the browser (null: none).
    void setOpenDataset(const data::DatasetSource &source, DatasetPtr dataset);
    QString text() const;
    QPushButton *useOpenButton() const { return m_useOpen; }

    /// The draft's datasets/train/evaluation made to train and evaluate on `source` only: its own
    /// splits when it has test images, else the paper's per-class test split (25 per class).
    static void useDataset(ExperimentDraft &draft, const data::DatasetSource &source, const data::Dataset &dataset);

Q_SIGNALS:
    void openExperimentRequested();

private:
    void refresh();

    ExperimentDraft *m_draft;
    QLabel *m_text;
    QPushButton *m_useOpen;
    QPushButton *m_openExperiment;
    std::optional<data::DatasetSource> m_source;
    DatasetPtr m_dataset;
};

} // namespace poisonlab::ui
