#pragma once

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QStringList>

class QFormLayout;
class QLineEdit;
class QWidget;

namespace poisonlab::ui {

/// One field per `${name}` variable an experiment config uses beyond the panel's own (data,
/// model): the paper-table presets need `${pascal}`, `${flickr30k}` or `${coco}`. Each field
/// takes a folder or file (Browse…); what was typed is kept per name when the config changes, and
/// an empty field falls back to the environment variable of that name, as the CLI does. The rows
/// live in the panel's own form (from `firstRow` on), so they line up with its other fields.
class ConfigVariablesForm : public QObject {
    Q_OBJECT
public:
    ConfigVariablesForm(QFormLayout *form, int firstRow, QWidget *parent);

    /// Shows a row for each of `names` (in this order), none when it is empty.
    void setVariables(const QStringList &names);
    QStringList variables() const { return m_names; }
    /// name -> value for the shown fields that are filled.
    QMap<QString, QString> values() const;
    void setValue(const QString &name, const QString &value);
    /// The shown variables with neither a value nor an environment variable of that name.
    QStringList missing() const;
    QLineEdit *field(const QString &name) const { return m_fields.value(name); }

private:
    QWidget *m_parent;
    QPointer<QFormLayout> m_form;
    int m_firstRow;
    QStringList m_names;
    QMap<QString, QLineEdit *> m_fields;
    QMap<QString, QString> m_kept; ///< values of variables no longer shown, for when they return
};

} // namespace poisonlab::ui
