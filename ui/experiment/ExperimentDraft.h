#pragma once

#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace poisonlab::experiment {
struct ExperimentConfig;
}

namespace poisonlab::ui {

/// The experiment being designed in the workbench: one config document (the JSON that
/// `poisonlab-cli run` reads, `${variables}` unexpanded), the values of its variables, and the
/// file it came from. The Data step writes "datasets"/"train"/"evaluation.dataset", the attack
/// designer "attack" and "evaluation.goals", the Train panel "model", "training" and
/// "evaluation.every_epoch"; Save Experiment… writes document() as it is, so the CLI runs the
/// same experiment. Panels listen to sectionChanged() (one section edited) and reset() (a whole
/// new document: Open Experiment…, a preset) and reload their fields from the draft.
class ExperimentDraft : public QObject {
    Q_OBJECT
public:
    explicit ExperimentDraft(QObject *parent = nullptr);

    const nlohmann::json &document() const { return m_doc; }
    /// Replaces the whole document (emits reset()). `file` anchors relative paths ("" = none).
    void setDocument(nlohmann::json doc, const QString &file = {});
    /// The file the document was read from or last saved to.
    QString file() const { return m_file; }

    /// A top-level section ("attack", "training"...), null when absent.
    nlohmann::json section(const std::string &key) const;
    /// Sets a top-level section (null removes it... except "attack": null is kept, it means a
    /// clean run). Emits sectionChanged(key) when the value changed.
    void setSection(const std::string &key, nlohmann::json value);
    /// One key inside "evaluation" ("goals", "every_epoch", "dataset"...); emits
    /// sectionChanged("evaluation").
    void setEvaluationKey(const std::string &key, nlohmann::json value);

    /// `${name}` variables the document uses, sorted.
    QStringList variableNames() const;
    QMap<QString, QString> variables() const { return m_vars; }
    QString variable(const QString &name) const { return m_vars.value(name); }
    void setVariable(const QString &name, const QString &value); ///< emits variablesChanged()
    /// Used variables with no value here nor an environment variable of that name.
    QStringList missingVariables() const;

    /// Parses the document with its variables as core will (throws poisonlab::Error naming the
    /// file and the key): what every form checks against before a run starts.
    experiment::ExperimentConfig resolve() const;
    /// The document's variables as core takes them.
    std::map<std::string, std::string> coreVariables() const;

    /// The clean reference of this experiment: the same document with "attack": null and the
    /// attack's goals written into evaluation.goals (so the clean model is measured on them).
    nlohmann::json cleanDocument() const;

    /// Makes the attack Attack II `source` -> `target` (a cell of the class-pair grid): the other
    /// options (rate, seed, unit...) stay as they were, goals and x* go, evaluation.goals follows.
    void useAttackPair(const QString &source, const QString &target);

    /// Reads a config file into the draft (emits reset()); false with `error` naming the file.
    bool load(const QString &path, QString *error = nullptr);
    /// Writes document() to `path` atomically (temp file + rename); false with `error`.
    bool save(const QString &path, QString *error = nullptr);

Q_SIGNALS:
    void reset();
    void sectionChanged(const QString &key);
    void variablesChanged();

private:
    nlohmann::json m_doc = nlohmann::json::object();
    QString m_file;
    QMap<QString, QString> m_vars;
};

} // namespace poisonlab::ui
