-- Riverside Clinic intake line (seed 002): the assistant is not a medical
-- professional; it takes a structured intake (name, date of birth, reason, symptoms,
-- urgency), and words that describe an emergency escalate the call at once to the
-- nurse line, with the caller told to call 911.
local text = require("text")
local calls = require("calls")

local EMERGENCY = {
  "chest pain", "can't breathe", "cannot breathe", "not breathing", "stroke", "severe bleeding",
  "bleeding heavily", "unconscious", "passed out", "overdose", "suicidal", "kill myself", "seizure",
}
local URGENT = { "high fever", "fever", "vomiting", "severe pain", "infection", "swelling", "dizzy" }
-- Functions an intake assistant must never run, whatever the model asks.
local MEDICAL_ADVICE = { "diagnos", "prescri", "dosage", "treatment", "medical_advice" }
local CATEGORIES = {
  { "appointment", { "appointment", "reschedule", "cancel my visit", "book", "check-up", "checkup" } },
  { "prescription", { "refill", "prescription", "pharmacy", "medication" } },
  { "billing", { "bill", "insurance", "copay", "payment", "invoice" } },
  { "symptoms", { "pain", "fever", "cough", "rash", "sick", "hurts", "symptom" } },
}

function prompt(call)
  local lines = {
    "You are the intake assistant of Riverside Clinic. You are not a medical professional:",
    "never diagnose, never suggest a treatment or a dose, and say so if asked.",
    "Collect, one question at a time: the patient's full name, date of birth, the reason for the call,",
    "their symptoms and since when, and how urgent it feels (low, medium, high).",
    "If the caller describes an emergency (chest pain, trouble breathing, heavy bleeding, thoughts of",
    "self-harm), tell them to hang up and call 911 now, then transfer the call to the nurse line.",
  }
  return calls.prompt(call, lines, {
    caller = "The caller may be %s; confirm it.",
    closed = "The clinic is closed until %s: take a message for the morning team.",
  })
end

function assistant(call)
  -- After hours the greeting says so before anything else; the rest is the YAML spec.
  if calls.closed_until() then
    return {
      first_message = "You've reached Riverside Clinic after hours. If this is an emergency, hang up and call 911. "
        .. "Otherwise I can take a message for our team.",
    }
  end
  return nil
end

function route_tool(call, name, args)
  if text.find_any(name, MEDICAL_ADVICE) then
    return { action = "deny", message = "I can't give medical advice, but I can make sure a clinician calls you back." }
  end
  return nil
end

function on_event(call, event)
  local words = calls.customer_words(event)
  if not words then return end
  local emergency = text.find_any(words, EMERGENCY)
  if emergency then
    -- At once: the transfer that follows goes to the nurse line.
    sb.tag("emergency")
    sb.escalate("emergency: " .. emergency)
  elseif text.find_any(words, URGENT) then
    sb.tag("urgent")
  end
end

function transfer_target(call, reason)
  if calls.has_tag(call, "emergency") or text.find_any(reason, EMERGENCY) then
    return { number = sb.config("nurse_line"), message = "I'm connecting you with our nurse now. If you can, call 911." }
  end
  local reopens = calls.closed_until()
  if reopens then
    return { error = "The clinic is closed until " .. reopens .. ". If this is an emergency, please call 911." }
  end
  return { number = sb.config("front_desk_line"), message = "Let me connect you with our front desk." }
end

function classify(call, transcript)
  local said = calls.customer_text(transcript)
  local urgency = "low"
  if calls.has_tag(call, "emergency") then
    urgency = "emergency"
  elseif calls.has_tag(call, "urgent") or text.find_any(said, URGENT) then
    urgency = "high"
  elseif text.find_any(said, CATEGORIES[4][2]) then
    urgency = "medium"
  end
  return {
    category = urgency == "emergency" and "emergency" or text.first_category(said, CATEGORIES, "general"),
    resolution = calls.resolution(call),
    sentiment = "neutral",
    urgency = urgency,
  }
end
