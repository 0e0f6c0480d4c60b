#pragma once

#include "poisonlab/core/plugin/Plugin.h"

#include <QList>
#include <QWidget>

#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

class QGridLayout;
class QLabel;

namespace poisonlab::ui {

class ParameterField;
struct OptionProblem;
struct TrainingSetSummary;

/// A plugin's options as a form, generated from its plugin.json "parameters" (one
/// ParameterField each), so a new plugin needs no change here. options() gives what the
/// fields hold plus every option the plugin.json does not describe, kept exactly as it came.
class PluginOptionsForm : public QWidget {
    Q_OBJECT
public:
    explicit PluginOptionsForm(QWidget *parent = nullptr);

    /// Rebuilds the fields for `plugin` (null: none); the values are cleared.
    void setPlugin(const plugin::PluginMetadata *plugin);
    nlohmann::json options() const;
    /// Shows `options` (silent); keys no parameter describes are kept for options().
    void setOptions(const nlohmann::json &options);
    /// Required options that have a default start given (a fresh attack writes its rate).
    void giveRequiredDefaults();

    ParameterField *field(const QString &name) const; ///< null when the plugin has no such option
    const QList<ParameterField *> &fields() const { return m_fields; }
    void setTrainingSet(std::shared_ptr<const TrainingSetSummary> summary);
    /// Shows each problem under its field; returns those that belong to no field.
    std::vector<OptionProblem> showProblems(const std::vector<OptionProblem> &problems);
    /// Adds `widget` as a row of its own right under the field `name` (or at the end).
    void addRowBelow(const QString &name, QWidget *widget);

Q_SIGNALS:
    void edited();

private:
    void syncImageFields();
    void relayout();

    // A grid, not a QFormLayout: word-wrapped problem lines need height-for-width, which
    // QFormLayout gets wrong (it leaves tall gaps).
    QGridLayout *m_layout;
    QList<ParameterField *> m_fields;
    QList<QLabel *> m_labels;                     ///< one per field
    QList<QPair<QString, QWidget *>> m_extraRows; ///< the caller's rows, each under a field
    nlohmann::json m_unknown = nlohmann::json::object();
    std::shared_ptr<const TrainingSetSummary> m_summary;
};

} // namespace poisonlab::ui
