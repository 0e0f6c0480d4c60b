#include "experiment/ConfigVariablesForm.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace poisonlab::ui {

ConfigVariablesForm::ConfigVariablesForm(QFormLayout *form, int firstRow, QWidget *parent)
    : QObject(parent), m_parent(parent), m_form(form), m_firstRow(firstRow)
{
    setObjectName(QStringLiteral("configVariables"));
}

void ConfigVariablesForm::setVariables(const QStringList &names)
{
    if (names == m_names)
        return;
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it)
        m_kept.insert(it.key(), it.value()->text());
    for (qsizetype i = 0; i < m_names.size(); ++i)
        m_form->removeRow(m_firstRow); // deletes the row's widgets
    m_fields.clear();
    m_names = names;
    for (const QString &name : names) {
        auto *edit = new QLineEdit(m_kept.value(name, qEnvironmentVariable(name.toUtf8().constData())), m_parent);
        edit->setObjectName(QStringLiteral("variable_") + name);
        edit->setPlaceholderText(tr("required by this config: a folder or file"));
        edit->setToolTip(tr("Fills ${%1} in the config (the CLI's --var %1=VALUE)").arg(name));
        auto *browse = new QPushButton(tr("Browse…"), m_parent);
        connect(browse, &QPushButton::clicked, this, [this, edit, name] {
            const QString dir =
                QFileDialog::getExistingDirectory(m_parent, tr("Folder for ${%1}").arg(name), edit->text());
            if (!dir.isEmpty())
                edit->setText(dir);
        });
        auto *row = new QWidget(m_parent);
        auto *layout = new QHBoxLayout(row);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(edit, 1);
        layout->addWidget(browse);
        m_form->insertRow(m_firstRow + int(m_fields.size()), QStringLiteral("${%1}:").arg(name), row);
        m_fields.insert(name, edit);
    }
}

QMap<QString, QString> ConfigVariablesForm::values() const
{
    QMap<QString, QString> out;
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it)
        if (!it.value()->text().trimmed().isEmpty())
            out.insert(it.key(), it.value()->text().trimmed());
    return out;
}

void ConfigVariablesForm::setValue(const QString &name, const QString &value)
{
    if (QLineEdit *edit = m_fields.value(name))
        edit->setText(value);
    else
        m_kept.insert(name, value);
}

QStringList ConfigVariablesForm::missing() const
{
    QStringList out;
    for (const QString &name : m_names)
        if (m_fields.value(name)->text().trimmed().isEmpty() && qEnvironmentVariableIsEmpty(name.toUtf8().constData()))
            out << name;
    return out;
}

} // namespace poisonlab::ui
