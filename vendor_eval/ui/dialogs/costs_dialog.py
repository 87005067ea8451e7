"""Cost lines and tariff scenarios, edited together and saved as one change.

Nothing typed is lost: Save checks every row first (services.tariffs.check_line and
parse_rates); a bad amount or rate is marked in its cell with the reason under the tables,
and the dialog stays open with everything as typed. Only a form that checks out is saved,
in one transaction (services.tariffs.save_costs).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vendor_eval import domain, vocabulary
from vendor_eval.errors import UserError
from vendor_eval.scoring.tariff_defaults import DEFAULT_SCENARIOS
from vendor_eval.services import tariffs
from vendor_eval.ui.changes import Change
from vendor_eval.ui.session import EvaluationSession

CATEGORIES = tuple(vocabulary.COST_CATEGORIES.items())
LINE_COLUMNS = ("Vendor", "Category", "Description", "Annual amount", "Currency", "Made in",
                "Pass-through", "Imaging")
# Fixed columns narrow enough that the description keeps about 150 px at the dialog's smallest width.
LINE_WIDTHS = {0: 150, 1: 160, 3: 104, 4: 66, 5: 96, 6: 90, 7: 70}
VENDOR, CATEGORY, DESCRIPTION, AMOUNT, CURRENCY, ORIGIN, PASS_THROUGH, IMAGING = range(8)
SCENARIO_COLUMNS = ("Scenario", "Rates by origin", "Imaging exempt")
S_NAME, S_RATES, S_EXEMPT = range(3)
BAD = QBrush(QColor("#fde0e0"))
ID_ROLE = Qt.ItemDataRole.UserRole + 1
VENDOR_ROLE = Qt.ItemDataRole.UserRole + 2


def rates_text(rates: dict[str, float]) -> str:
    return ", ".join(f"{k}={v * 100:g}%" for k, v in rates.items())


def _text(text: str, item_id: int | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setData(ID_ROLE, item_id)
    return item


def _check(on: bool) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
    item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
    return item


def _table(headers: tuple[str, ...]) -> QTableWidget:
    # A dialog's few editable rows, read back on Save: a QTableWidget is the simple tool here.
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


class CostsDialog(QDialog):
    def __init__(self, parent: QWidget | None, session: EvaluationSession) -> None:
        super().__init__(parent)
        self.session = session
        snap: domain.Snapshot = session.snapshot
        self.vendors = snap.vendors
        self.setWindowTitle("Cost lines and tariff scenarios")
        self.setMinimumSize(900, 560)
        self.resize(980, 600)  # fits a 1024x700 screen; wider leaves the description more room
        self.removed_lines: list[int] = []
        self.removed_scenarios: list[int] = []

        self.lines = _table(LINE_COLUMNS)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for column, width in LINE_WIDTHS.items():
            header.resizeSection(column, width)
        self.lines.setWordWrap(False)
        for column, tip in ((ORIGIN, "Country of origin, for the tariff rates (e.g. China, Germany)"),
                            (PASS_THROUGH, "Ticked: the vendor passes a tariff on to you in full"),
                            (IMAGING, "Ticked: imaging equipment, exempt where a scenario has the exemption")):
            self.lines.horizontalHeaderItem(column).setToolTip(tip)
        for line in snap.cost_lines:
            self._add_line_row(line)
        add_line = QPushButton("Add cost line")
        add_line.clicked.connect(lambda: self._add_line_row(None))
        add_line.setEnabled(bool(self.vendors))
        remove_line = QPushButton("Remove cost line")
        remove_line.clicked.connect(self._remove_line)
        lines_box = QGroupBox("Cost lines: what each vendor's offer costs a year, and where it is made")
        lv = QVBoxLayout(lines_box)
        lv.addWidget(self.lines)
        lv.addLayout(_row(add_line, remove_line))

        self.scenarios = _table(SCENARIO_COLUMNS)
        self.scenarios.horizontalHeader().setSectionResizeMode(S_RATES, QHeaderView.ResizeMode.Stretch)
        self.scenarios.horizontalHeader().setStretchLastSection(False)
        self.scenarios.horizontalHeaderItem(S_RATES).setToolTip("ORIGIN=RATE pairs, e.g. China=25%, EU=15%")
        for scenario in snap.tariff_scenarios:
            self._add_scenario_row(scenario.name, rates_text(scenario.rates), scenario.imaging_exemption, scenario.id)
        add_scenario = QPushButton("Add scenario")
        add_scenario.clicked.connect(lambda: self._add_scenario_row("", "", False, None, edit=True))
        defaults = QPushButton("Add default scenarios")
        defaults.setToolTip("Baseline, Section 301 (25 % on China), EU 15 % with and without the imaging exemption")
        defaults.clicked.connect(self._add_defaults)
        remove_scenario = QPushButton("Remove scenario")
        remove_scenario.clicked.connect(self._remove_scenario)
        scenarios_box = QGroupBox("Tariff scenarios: rates by origin, e.g. China=25%, EU=15%")
        sv = QVBoxLayout(scenarios_box)
        sv.addWidget(self.scenarios)
        sv.addLayout(_row(add_scenario, defaults, remove_scenario))

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(lines_box)
        split.addWidget(scenarios_box)
        split.setSizes([300, 220])
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    # --- rows ---
    def _add_line_row(self, line: domain.CostLineEntry | None) -> None:
        r = self.lines.rowCount()
        self.lines.insertRow(r)
        category = QComboBox()
        for key, text in CATEGORIES:
            category.addItem(text, key)
        self.lines.setCellWidget(r, CATEGORY, category)
        if line is not None:  # a line stays with its vendor: remove it and add one to move it
            category.setCurrentIndex(max(category.findData(line.category), 0))
            name = next((v.name for v in self.vendors if v.id == line.vendor_id), "")
            item = _text(name, line.id)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setData(VENDOR_ROLE, line.vendor_id)
            self.lines.setItem(r, VENDOR, item)
        else:
            vendor = QComboBox()
            for v in self.vendors:
                vendor.addItem(v.name, v.id)
            self.lines.setCellWidget(r, VENDOR, vendor)
            self.lines.setItem(r, VENDOR, _text("", None))
        self.lines.setItem(r, DESCRIPTION, _text(line.description if line else ""))
        self.lines.item(r, DESCRIPTION).setToolTip(line.description if line else "")
        self.lines.setItem(r, AMOUNT, _text(f"{line.annual_amount:,.2f}" if line else ""))
        self.lines.item(r, AMOUNT).setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.lines.setItem(r, CURRENCY, _text(line.currency if line else "USD"))
        self.lines.setItem(r, ORIGIN, _text(line.origin_country if line else ""))
        self.lines.setItem(r, PASS_THROUGH, _check(line.pass_through if line else False))
        self.lines.setItem(r, IMAGING, _check(line.imaging_equipment if line else False))
        if line is None:
            self.lines.setCurrentCell(r, DESCRIPTION)

    def _add_scenario_row(self, name: str, rates: str, exempt: bool, scenario_id: int | None,
                          edit: bool = False) -> None:
        r = self.scenarios.rowCount()
        self.scenarios.insertRow(r)
        self.scenarios.setItem(r, S_NAME, _text(name, scenario_id))
        self.scenarios.setItem(r, S_RATES, _text(rates))
        self.scenarios.setItem(r, S_EXEMPT, _check(exempt))
        if edit:
            self.scenarios.setCurrentCell(r, S_NAME)
            self.scenarios.editItem(self.scenarios.item(r, S_NAME))

    def _remove_line(self) -> None:
        r = self.lines.currentRow()
        if r >= 0:
            line_id = self.lines.item(r, VENDOR).data(ID_ROLE)
            if line_id is not None:
                self.removed_lines.append(int(line_id))
            self.lines.removeRow(r)

    def _remove_scenario(self) -> None:
        r = self.scenarios.currentRow()
        if r >= 0:
            scenario_id = self.scenarios.item(r, S_NAME).data(ID_ROLE)
            if scenario_id is not None:
                self.removed_scenarios.append(int(scenario_id))
            self.scenarios.removeRow(r)

    def _add_defaults(self) -> None:
        have = {self.scenarios.item(r, S_NAME).text().strip() for r in range(self.scenarios.rowCount())}
        for spec in DEFAULT_SCENARIOS:
            if spec["name"] not in have:
                self._add_scenario_row(spec["name"], rates_text(spec["rates"]), spec["imaging_exemption"], None)

    def set_rates(self, scenario_id: int, text: str) -> None:
        """Put text into a scenario's rates (the Tariffs tab hands over a rate it could not save)."""
        for r in range(self.scenarios.rowCount()):
            if self.scenarios.item(r, S_NAME).data(ID_ROLE) == scenario_id:
                self.scenarios.item(r, S_RATES).setText(text)

    # --- reading back and checking ---
    def line_values(self) -> list[dict[str, Any]]:
        out = []
        for r in range(self.lines.rowCount()):
            vendor, category = self.lines.cellWidget(r, VENDOR), self.lines.cellWidget(r, CATEGORY)
            assert isinstance(category, QComboBox)
            vendor_id = vendor.currentData() if isinstance(vendor, QComboBox) else self.lines.item(r, VENDOR).data(
                VENDOR_ROLE)
            out.append({
                "id": self.lines.item(r, VENDOR).data(ID_ROLE), "vendor": vendor_id,
                "category": category.currentData(), "description": self.lines.item(r, DESCRIPTION).text(),
                "annual_amount": self.lines.item(r, AMOUNT).text(), "currency": self.lines.item(r, CURRENCY).text(),
                "origin_country": self.lines.item(r, ORIGIN).text(),
                "pass_through": self.lines.item(r, PASS_THROUGH).checkState() == Qt.CheckState.Checked,
                "imaging_equipment": self.lines.item(r, IMAGING).checkState() == Qt.CheckState.Checked,
            })
        return out

    def scenario_values(self) -> list[dict[str, Any]]:
        return [{"id": self.scenarios.item(r, S_NAME).data(ID_ROLE), "name": self.scenarios.item(r, S_NAME).text(),
                 "rates": self.scenarios.item(r, S_RATES).text(),
                 "imaging_exemption": self.scenarios.item(r, S_EXEMPT).checkState() == Qt.CheckState.Checked}
                for r in range(self.scenarios.rowCount())]

    def problems(self) -> list[str]:
        """Every bad cell marked in place; one sentence per problem, naming the row."""
        found: list[str] = []
        for table in (self.lines, self.scenarios):
            for r in range(table.rowCount()):
                for c in range(table.columnCount()):
                    item = table.item(r, c)
                    if item is not None:
                        item.setBackground(QBrush())
                        item.setToolTip("")

        def mark(table: QTableWidget, r: int, c: int, message: str) -> None:
            table.item(r, c).setBackground(BAD)
            table.item(r, c).setToolTip(message)
            found.append(message)

        for r, line in enumerate(self.line_values()):
            fields = {k: v for k, v in line.items() if k in tariffs.LINE_FIELDS}
            for field, column in (("annual_amount", AMOUNT), ("currency", CURRENCY)):
                try:
                    tariffs.check_line({field: fields[field]})
                except UserError as exc:
                    mark(self.lines, r, column, f"Cost line {r + 1}: {exc}")
        names: set[str] = set()
        for r, scenario in enumerate(self.scenario_values()):
            name = scenario["name"].strip()
            label = f"Scenario {r + 1}" + (f" ({name})" if name else "")
            if not name:
                mark(self.scenarios, r, S_NAME, f"{label}: give the scenario a name.")
            elif name in names:
                mark(self.scenarios, r, S_NAME, f"{label}: another scenario has this name.")
            names.add(name)
            try:
                tariffs.parse_rates(scenario["rates"])
            except UserError as exc:
                mark(self.scenarios, r, S_RATES, f"{label}, rates: {exc}")
        return found

    def show_problems(self, problems: list[str]) -> None:
        more = f" (and {len(problems) - 1} more, marked in red)" if len(problems) > 1 else ""
        self.error.setText(("Nothing was saved. " + problems[0] + more) if problems else "")
        self.error.setVisible(bool(problems))

    def accept(self) -> None:
        problems = self.problems()
        if not problems:
            refused: list[str] = []
            self.session.failed.connect(refused.append)
            try:
                self.session.call(tariffs.save_costs, self.session.actor, lines=self.line_values(),
                                  removed_lines=self.removed_lines, scenarios=self.scenario_values(),
                                  removed_scenarios=self.removed_scenarios, kind=Change.TARIFFS,
                                  wait=True)  # a refusal keeps the dialog open with what was typed
            finally:
                self.session.failed.disconnect(refused.append)
            problems = refused
        if problems:
            self.show_problems(problems)
            return
        super().accept()


def _row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row
