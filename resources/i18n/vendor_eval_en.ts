<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>vendor_eval</name>
    <message numerus="yes">
        <source>%n cell(s)</source>
        <translation>
            <numerusform>%n cell</numerusform>
            <numerusform>%n cells</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cell(s) must be discussed</source>
        <translation>
            <numerusform>%n cell must be discussed</numerusform>
            <numerusform>%n cells must be discussed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cell(s) worth discussing</source>
        <translation>
            <numerusform>%n cell worth discussing</numerusform>
            <numerusform>%n cells worth discussing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n consensus score(s) set</source>
        <translation>
            <numerusform>%n consensus score set</numerusform>
            <numerusform>%n consensus scores set</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s)</source>
        <translation>
            <numerusform>%n change</numerusform>
            <numerusform>%n changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n evaluator(s)</source>
        <translation>
            <numerusform>%n evaluator</numerusform>
            <numerusform>%n evaluators</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n vendor(s)</source>
        <translation>
            <numerusform>%n vendor</numerusform>
            <numerusform>%n vendors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n criterion/criteria</source>
        <translation>
            <numerusform>%n criterion</numerusform>
            <numerusform>%n criteria</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cell(s) have no score yet</source>
        <translation>
            <numerusform>%n cell has no score yet</numerusform>
            <numerusform>%n cells have no score yet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n questionnaire(s)</source>
        <translation>
            <numerusform>%n questionnaire</numerusform>
            <numerusform>%n questionnaires</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n problem</numerusform>
            <numerusform>%n problems</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n open cell(s)</source>
        <translation>
            <numerusform>%n open cell</numerusform>
            <numerusform>%n open cells</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n score(s)</source>
        <translation>
            <numerusform>%n score</numerusform>
            <numerusform>%n scores</numerusform>
        </translation>
    </message>
</context>
</TS>
