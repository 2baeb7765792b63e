Attribute VB_Name = "preval_addin"
' What runs when Excel loads preval.xlam, and the Chinese texts VBA shows.
' VBA source is stored in the project's code page (1252 in the xlwings template): Chinese
' in this file would arrive as "????". So the code stays ASCII and every Chinese text is a
' cell of the add-in's own sheet "preval.conf" (cells are Unicode), written by
' addin/build_addin.py. The column numbers below are its CONF_TEXT_COL and CONF_HELP_COL.
Option Explicit

Private Const CONF_SHEET As String = "preval.conf"
Private Const TEXT_COL As Long = 4   ' D: message key, E: text
Private Const HELP_COL As Long = 7   ' G: function, H: help, I: category, J: argument count, K...: argument help

' Scheduled by ThisWorkbook.Workbook_Open, so it runs once Excel has finished starting.
' Best effort: nothing here may stop Excel; a UDF cell shows its own error if Python is missing.
Public Sub PrevalAfterLoad()
    On Error Resume Next
    PrevalRegisterHelp
#If Mac Then
    Exit Sub
#End If
    Err.Clear
    Dim server As Object
    ' Start the UDF server now rather than on the first PREVAL_* cell, then recompute the
    ' workbooks opened before the add-in (their PREVAL_* cells could not compute yet).
    Set server = XLPy
    If Err.Number = 0 And Workbooks.Count > 0 Then Application.CalculateFull
End Sub

' The function wizard's help: "Import Functions" would register it, but the wrappers are
' built into the add-in, so it is registered here from the sheet on every load.
Public Sub PrevalRegisterHelp()
    Dim sht As Worksheet, r As Long, n As Long, i As Long
    Dim argHelp() As Variant, macroName As String
    Set sht = ThisWorkbook.Worksheets(CONF_SHEET)
    r = 2
    Do While CStr(sht.Cells(r, HELP_COL).Value) <> ""
        macroName = "'" & ThisWorkbook.Name & "'!" & CStr(sht.Cells(r, HELP_COL).Value)
        n = CLng(sht.Cells(r, HELP_COL + 3).Value)
        If n > 0 Then
            ReDim argHelp(0 To n - 1)
            For i = 0 To n - 1
                argHelp(i) = CStr(sht.Cells(r, HELP_COL + 4 + i).Value)
            Next i
            Application.MacroOptions Macro:=macroName, Description:=CStr(sht.Cells(r, HELP_COL + 1).Value), _
                Category:=CStr(sht.Cells(r, HELP_COL + 2).Value), ArgumentDescriptions:=argHelp
        Else
            Application.MacroOptions Macro:=macroName, Description:=CStr(sht.Cells(r, HELP_COL + 1).Value), _
                Category:=CStr(sht.Cells(r, HELP_COL + 2).Value)
        End If
        r = r + 1
    Loop
End Sub

' The text stored under key in the add-in's sheet; the key itself if it is missing.
Public Function PrevalText(ByVal key As String) As String
    Dim sht As Worksheet, r As Long
    On Error GoTo missing
    Set sht = ThisWorkbook.Worksheets(CONF_SHEET)
    r = 2
    Do While CStr(sht.Cells(r, TEXT_COL).Value) <> ""
        If CStr(sht.Cells(r, TEXT_COL).Value) = key Then
            PrevalText = CStr(sht.Cells(r, TEXT_COL + 1).Value)
            Exit Function
        End If
        r = r + 1
    Loop
missing:
    PrevalText = key
End Function
