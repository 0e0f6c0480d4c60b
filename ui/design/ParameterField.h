#pragma once

#include "poisonlab/core/plugin/PluginParameter.h"

#include <QObject>
#include <QString>

#include <nlohmann/json.hpp>

#include <memory>

class QLabel;
class QWidget;

namespace poisonlab::ui {

class ClassPicker;
class GoalListEditor;
class RateEditor;
class TargetImagePicker;
struct TrainingSetSummary;

/// One option of a plugin as a form field, made from its plugin.json description alone: the
/// parameter's type picks the editor (class → ClassPicker, goal-list → GoalListEditor, image →
/// TargetImagePicker, the number "rate" → RateEditor, other numbers → spin boxes within
/// min/max, choice → combo box, bool → check box, lists and objects → JSON text, the rest →
/// line edit), its description becomes the tooltip, and a problem line sits under the editor.
/// An option the document leaves out stays out (value() null) until the user edits it, so
/// loading a config and writing it back changes nothing.
class ParameterField : public QObject {
    Q_OBJECT
public:
    ParameterField(plugin::PluginParameter parameter, QWidget *parentWidget);

    const plugin::PluginParameter &parameter() const { return m_param; }
    QString name() const { return QString::fromStdString(m_param.name); }
    /// The label the form shows ("Class A (source)", "Poison rate"...).
    QString label() const;
    QWidget *row() const { return m_row; }       ///< editor and problem line, for the form
    QWidget *editor() const { return m_editor; } ///< the input widget itself

    /// The option's value, or null when it is left out.
    nlohmann::json value() const { return m_set ? m_value : nlohmann::json(); }
    /// Shows `value` (null: the default, left out). Silent: no edited().
    void setValue(const nlohmann::json &value);
    /// Marks the shown value (the default, for a fresh attack) as given.
    void setExplicit();

    void setProblem(const QString &message); ///< empty hides the line
    QString problem() const;
    void setTrainingSet(const std::shared_ptr<const TrainingSetSummary> &summary);

    ClassPicker *classPicker() const;
    GoalListEditor *goalEditor() const;
    RateEditor *rateEditor() const;
    TargetImagePicker *imagePicker() const;

    /// The error colour of the palette (StatusColors: reads on light and dark themes).
    static QColor problemColor(const QPalette &palette);

Q_SIGNALS:
    void edited();

private:
    QWidget *makeEditor(QWidget *parent);
    QWidget *makeNumberEditor(QWidget *parent);
    void showValue(const nlohmann::json &shown);
    void takeFromEditor(nlohmann::json value);

    plugin::PluginParameter m_param;
    QWidget *m_row = nullptr;
    QWidget *m_editor = nullptr;
    QLabel *m_problem = nullptr;
    nlohmann::json m_value;
    bool m_set = false;
    bool m_showing = false; ///< true while showValue() fills the editor
};

} // namespace poisonlab::ui
