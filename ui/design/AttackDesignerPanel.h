#pragma once

#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/plugin/Plugin.h"

#include <QStringList>
#include <QWidget>

#include <nlohmann/json.hpp>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QScrollArea;
class QSplitter;
class QTimer;

namespace poisonlab::ui {

class ExperimentDraft;
class PluginOptionsForm;
class PoisonPreviewPanel;
class TrainingSetReader;
struct TrainingSetSummary;

/// The Attack step: pick the attack (every attack plugin the registry finds, or a clean run),
/// fill its options in a form generated from its plugin.json (classes from the experiment's
/// training set with their counts, goals, x*, the poison rate with the pairs and φ it gives
/// beside it), see the problems next to their fields, preview the poisoned pairs and hand
/// over to training. Every valid edit writes the draft's "attack" section and
/// "evaluation.goals"; reset() (a preset, an opened file) reloads every field, keeping options
/// the plugin.json does not describe.
class AttackDesignerPanel : public QWidget {
    Q_OBJECT
public:
    explicit AttackDesignerPanel(ExperimentDraft *draft, QWidget *parent = nullptr);
    ~AttackDesignerPanel() override;

    /// The plugin id chosen ("" for a clean run).
    QString attackId() const;
    /// Chooses an attack as the user would (options carried over where they fit; "" = clean run).
    void selectAttack(const QString &pluginId);
    /// The attack's options as the form holds them.
    nlohmann::json options() const;
    /// Why the form is not valid ("rate: …"), empty when it is.
    QStringList problems() const;
    bool isValid() const { return problems().isEmpty(); }

    PluginOptionsForm *optionsForm() const { return m_form; }
    PoisonPreviewPanel *previewPanel() const { return m_preview; }
    TrainingSetReader *trainingSetReader() const { return m_reader; }
    QComboBox *attackBox() const { return m_attack; }
    QPushButton *trainButton() const { return m_train; }
    QString trainingSetText() const;
    QString rateText() const; ///< poisoned pairs and φ beside the rate (estimate or exact)
    QString paperText() const;
    QString statusText() const;

public Q_SLOTS:
    /// Reloads every field from the draft's document.
    void reload();
    /// Writes the form into the draft: "attack" and "evaluation.goals" (every valid edit does).
    void writeToDraft();

protected:
    void showEvent(QShowEvent *event) override;

Q_SIGNALS:
    /// "Train this attack →": the lead shows the Train panel.
    void trainRequested();

private:
    QWidget *buildLayout();
    void fillAttackBox();
    void attackChosen();
    void formEdited();
    void updateChecks();
    void updateRateText();
    void updateStatus();
    void showTrainingSet();
    void onPreviewReady(const std::shared_ptr<const attack::PoisonManifest> &manifest);
    void showDrawnImage(const QString &path); ///< names x* as the preview drew it ("" = clear)
    void showAttack(const QString &pluginId, const nlohmann::json &options);
    /// Gives the form the height it needs (at most two thirds), the preview the rest; `growOnly`
    /// leaves a form that already has room (or was made taller by hand) as it is.
    void fitFormHeight(bool growOnly = false);
    const plugin::PluginMetadata *currentPlugin() const;
    /// The training set counted over the split the attack poisons.
    std::shared_ptr<const TrainingSetSummary> summaryForAttack() const;
    nlohmann::json attackSection() const;

    ExperimentDraft *m_draft;
    TrainingSetReader *m_reader;
    QComboBox *m_attack;
    QLabel *m_description;
    QLabel *m_trainingSet;
    PluginOptionsForm *m_form;
    QLabel *m_rate;
    QLabel *m_paper;
    QLabel *m_problems;
    PoisonPreviewPanel *m_preview;
    QLabel *m_status;
    QPushButton *m_train;
    QScrollArea *m_scroll = nullptr;
    QSplitter *m_split = nullptr;
    QTimer *m_previewTimer;
    QStringList m_problemList;
    nlohmann::json m_keptAttack; ///< an attack whose plugin is not installed: kept as it came
    mutable std::shared_ptr<const TrainingSetSummary> m_splitSummary; ///< the summary recounted for another split
    std::shared_ptr<const attack::PoisonManifest> m_exact;            ///< the preview of the options shown
    std::string m_previewKey; ///< the attack section the running preview was started for
    bool m_loading = false;
};

} // namespace poisonlab::ui
