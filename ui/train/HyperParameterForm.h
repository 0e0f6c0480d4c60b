#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

class QCheckBox;
class QComboBox;
class QSpinBox;
class QDoubleSpinBox;

namespace poisonlab::ui {

class ScientificSpinBox;

/// The training hyper-parameters of an experiment, with the paper's defaults
/// (train::TrainOptions): epochs, batch size, learning rate, warm-up, weight decay, a frozen
/// tower, seed, per-epoch evaluation, the device (CPU or a CUDA device LibTorch reports) and
/// mixed precision (offered only on a CUDA device). load() fills the fields from a "training"
/// section; training() gives the section back: the keys the form does not show kept as they
/// were, the form's keys written only where they differ from the defaults.
class HyperParameterForm : public QWidget {
    Q_OBJECT
public:
    explicit HyperParameterForm(QWidget *parent = nullptr);

    /// `docSeed`: the document's top-level seed, which training uses when it names none.
    void load(const nlohmann::json &training, bool everyEpoch, std::uint64_t docSeed);
    nlohmann::json training() const;
    bool everyEpoch() const;
    QString device() const;

    QSpinBox *epochs() const { return m_epochs; }
    QSpinBox *batchSize() const { return m_batch; }
    ScientificSpinBox *learningRate() const { return m_lr; }
    QSpinBox *warmupSteps() const { return m_warmup; }
    QDoubleSpinBox *weightDecay() const { return m_decay; }
    QComboBox *freeze() const { return m_freeze; }
    QSpinBox *seed() const { return m_seed; }
    QCheckBox *everyEpochBox() const { return m_everyEpoch; }
    QComboBox *deviceBox() const { return m_device; }
    QComboBox *precision() const { return m_precision; }

Q_SIGNALS:
    /// The user changed a field (not emitted by load()).
    void edited();

private:
    void updatePrecision();
    void changed();

    QSpinBox *m_epochs;
    QSpinBox *m_batch;
    ScientificSpinBox *m_lr;
    QSpinBox *m_warmup;
    QDoubleSpinBox *m_decay;
    QComboBox *m_freeze;
    QSpinBox *m_seed;
    QCheckBox *m_everyEpoch;
    QComboBox *m_device;
    QComboBox *m_precision;
    nlohmann::json m_loaded = nlohmann::json::object(); ///< the section as loaded (keys kept)
    std::uint64_t m_docSeed = 0;
    bool m_loading = false;
};

} // namespace poisonlab::ui
