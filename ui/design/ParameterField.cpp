#include "design/ParameterField.h"

#include "design/ClassPicker.h"
#include "design/GoalListEditor.h"
#include "design/RateEditor.h"
#include "design/TargetImagePicker.h"
#include "design/TrainingSetSummary.h"
#include "style/StatusColors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include <climits>

namespace poisonlab::ui {

using nlohmann::json;
using Type = plugin::PluginParameter::Type;

ParameterField::ParameterField(plugin::PluginParameter parameter, QWidget *parentWidget)
    : QObject(parentWidget), m_param(std::move(parameter))
{
    m_row = new QWidget(parentWidget);
    m_editor = makeEditor(m_row);
    m_editor->setObjectName(QStringLiteral("option_") + name());
    m_editor->setToolTip(QString::fromStdString(m_param.description));
    m_problem = new QLabel(m_row);
    m_problem->setObjectName(QStringLiteral("problem_") + name());
    m_problem->setWordWrap(true);
    QPalette palette = m_problem->palette();
    palette.setColor(QPalette::WindowText, problemColor(palette));
    m_problem->setPalette(palette);
    m_problem->hide();
    auto *layout = new QVBoxLayout(m_row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_editor);
    layout->addWidget(m_problem);
    setValue(json());
}

QColor ParameterField::problemColor(const QPalette &palette)
{
    return StatusColors::error(palette);
}

QString ParameterField::label() const
{
    static const QHash<QString, QString> known = {
        {QStringLiteral("source"), tr("Class A (source)")},
        {QStringLiteral("target"), tr("Class B (target)")},
        {QStringLiteral("goals"), tr("Goals (A → B)")},
        {QStringLiteral("rate"), tr("Poison rate")},
        {QStringLiteral("unit"), tr("Rate applies to")},
        {QStringLiteral("split"), tr("Poisoned split")},
        {QStringLiteral("target_image"), tr("Target image x*")},
        {QStringLiteral("target_image_split"), tr("x* drawn from")},
        {QStringLiteral("max_uses"), tr("Uses per B image")},
    };
    if (const auto it = known.constFind(name()); it != known.cend())
        return *it;
    QString text = name();
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

QWidget *ParameterField::makeEditor(QWidget *parent)
{
    switch (m_param.type) {
    case Type::Bool: {
        auto *box = new QCheckBox(parent);
        connect(box, &QCheckBox::toggled, this, [this](bool on) { takeFromEditor(on); });
        return box;
    }
    case Type::Integer:
    case Type::Number:
        return makeNumberEditor(parent);
    case Type::Choice: {
        auto *box = new QComboBox(parent);
        for (const std::string &c : m_param.choices)
            box->addItem(QString::fromStdString(c));
        connect(box, &QComboBox::activated, this,
                [this, box](int) { takeFromEditor(box->currentText().toStdString()); });
        return box;
    }
    case Type::Class: {
        auto *picker = new ClassPicker(parent);
        connect(picker, &ClassPicker::classEdited, this,
                [this](const QString &cls) { takeFromEditor(cls.isEmpty() ? json() : json(cls.toStdString())); });
        return picker;
    }
    case Type::GoalList: {
        auto *goals = new GoalListEditor(parent);
        connect(goals, &GoalListEditor::edited, this, [this, goals] { takeFromEditor(goals->value()); });
        return goals;
    }
    case Type::Image: {
        auto *picker = new TargetImagePicker(parent);
        connect(picker, &TargetImagePicker::edited, this,
                [this](const QString &path) { takeFromEditor(path.isEmpty() ? json() : json(path.toStdString())); });
        return picker;
    }
    default: { // strings and paths as text; lists and objects as JSON text
        auto *edit = new QLineEdit(parent);
        const bool asJson =
            m_param.type == Type::NumberList || m_param.type == Type::StringList || m_param.type == Type::Object;
        connect(edit, &QLineEdit::textEdited, this, [this, edit, asJson](const QString &text) {
            if (text.isEmpty())
                return takeFromEditor(json());
            if (!asJson)
                return takeFromEditor(text.toStdString());
            const json parsed = json::parse(text.toStdString(), nullptr, false);
            takeFromEditor(parsed.is_discarded() ? json(text.toStdString()) : parsed); // problemWith names it
        });
        return edit;
    }
    }
}

QWidget *ParameterField::makeNumberEditor(QWidget *parent)
{
    const double lo = m_param.min.value_or(m_param.type == Type::Integer ? double(INT_MIN) : -1e12);
    const double hi = m_param.max.value_or(m_param.type == Type::Integer ? double(INT_MAX) : 1e12);
    if (m_param.type == Type::Number && m_param.name == "rate") {
        auto *rate = new RateEditor(lo, hi, m_param.minExclusive, parent);
        connect(rate, &RateEditor::edited, this, [this](double r) { takeFromEditor(r); });
        return rate;
    }
    if (m_param.type == Type::Integer) {
        auto *spin = new QSpinBox(parent);
        spin->setRange(static_cast<int>(m_param.minExclusive ? lo + 1 : lo), static_cast<int>(hi));
        connect(spin, &QSpinBox::valueChanged, this, [this](int v) { takeFromEditor(v); });
        return spin;
    }
    auto *spin = new QDoubleSpinBox(parent);
    spin->setDecimals(4);
    spin->setRange(m_param.minExclusive ? lo + 1e-4 : lo, hi);
    connect(spin, &QDoubleSpinBox::valueChanged, this, [this](double v) { takeFromEditor(v); });
    return spin;
}

void ParameterField::setValue(const json &value)
{
    m_set = !value.is_null();
    m_value = value;
    showValue(m_set ? value : m_param.defaultValue);
}

void ParameterField::setExplicit()
{
    if (m_set || m_param.defaultValue.is_null())
        return;
    m_value = m_param.defaultValue;
    m_set = true;
}

void ParameterField::takeFromEditor(json value)
{
    if (m_showing)
        return;
    m_set = !value.is_null();
    m_value = std::move(value);
    Q_EMIT edited();
}

void ParameterField::showValue(const json &shown)
{
    m_showing = true;
    const auto text = [&] { return shown.is_string() ? QString::fromStdString(shown.get<std::string>()) : QString(); };
    if (auto *box = qobject_cast<QCheckBox *>(m_editor))
        box->setChecked(shown.is_boolean() && shown.get<bool>());
    else if (auto *rate = qobject_cast<RateEditor *>(m_editor))
        rate->setValue(shown.is_number() ? shown.get<double>() : 0.0);
    else if (auto *spin = qobject_cast<QSpinBox *>(m_editor))
        spin->setValue(shown.is_number() ? static_cast<int>(shown.get<double>()) : 0);
    else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(m_editor))
        dspin->setValue(shown.is_number() ? shown.get<double>() : 0.0);
    else if (auto *picker = qobject_cast<ClassPicker *>(m_editor))
        picker->setClassName(text());
    else if (auto *combo = qobject_cast<QComboBox *>(m_editor)) {
        if (combo->findText(text()) < 0 && !text().isEmpty())
            combo->addItem(text()); // an unknown choice is shown (and refused by the check), not lost
        combo->setCurrentIndex(combo->findText(text()));
    } else if (auto *goals = qobject_cast<GoalListEditor *>(m_editor))
        goals->setValue(shown);
    else if (auto *image = qobject_cast<TargetImagePicker *>(m_editor))
        image->setValue(text());
    else if (auto *edit = qobject_cast<QLineEdit *>(m_editor)) {
        const bool asText = shown.is_string() || shown.is_null();
        edit->setText(m_set ? (asText ? text() : QString::fromStdString(shown.dump())) : QString());
        if (!m_param.defaultValue.is_null())
            edit->setPlaceholderText(tr("default: %1").arg(QString::fromStdString(m_param.defaultValue.dump())));
    }
    m_showing = false;
}

void ParameterField::setProblem(const QString &message)
{
    m_problem->setText(message);
    m_problem->setVisible(!message.isEmpty());
}

QString ParameterField::problem() const
{
    return m_problem->text();
}

void ParameterField::setTrainingSet(const std::shared_ptr<const TrainingSetSummary> &summary)
{
    if (auto *picker = classPicker())
        picker->setTrainingSet(summary);
    else if (auto *goals = goalEditor())
        goals->setTrainingSet(summary);
    else if (auto *image = imagePicker())
        image->setDataset(summary ? summary->dataset : nullptr);
}

ClassPicker *ParameterField::classPicker() const
{
    return qobject_cast<ClassPicker *>(m_editor);
}

GoalListEditor *ParameterField::goalEditor() const
{
    return qobject_cast<GoalListEditor *>(m_editor);
}

RateEditor *ParameterField::rateEditor() const
{
    return qobject_cast<RateEditor *>(m_editor);
}

TargetImagePicker *ParameterField::imagePicker() const
{
    return qobject_cast<TargetImagePicker *>(m_editor);
}

} // namespace poisonlab::ui
